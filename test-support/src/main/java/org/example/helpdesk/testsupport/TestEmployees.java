package org.example.helpdesk.testsupport;

/**
 * The employees every backoffice node under test knows (bcrypt cost 4: fast enough for tests). Test
 * clients sign in as the operator unless a test says otherwise.
 */
public final class TestEmployees {

  public static final String OPERATOR = "olivia";
  public static final String OPERATOR_PASSWORD = "operator-password";
  public static final String AGENT = "adam";
  public static final String AGENT_PASSWORD = "agent-password";

  /** The {@code EMPLOYEES} value that defines both. */
  public static final String ENTRIES =
      OPERATOR
          + ":operator:$2a$04$J8HrA.VEs41hgY3cz5TWPOSxFVmg7gwcF7Yrx6YTx4XoyPFV7ZzNC "
          + AGENT
          + ":agent:$2a$04$iUigdmy2DWn33.XY782dqOSLj9mkU6nQh/S3KQxxEf16vlQQpjlMO";

  private TestEmployees() {}
}
