package org.example.helpdesk.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The employees' list from configuration: bcrypt hashes only, known roles, each name once. */
class EmployeesTest {

  private static final String HASH = new BCryptPasswordEncoder(4).encode("a-good-password");

  private static Employees parse(String entries) {
    return Employees.parse(entries, "", Clock.systemUTC());
  }

  @Test
  void aPlainTextPasswordIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> parse("olivia:operator:a-good-password"));
    assertTrue(e.getMessage().contains("must be a bcrypt hash"), e.getMessage());
    assertFalse(
        e.getMessage().contains("a-good-password"),
        "the message does not repeat the password: " + e.getMessage());
    // a hash of another scheme is no bcrypt hash either
    assertThrows(
        IllegalArgumentException.class, () -> parse("olivia:operator:{noop}a-good-password"));
    assertThrows(IllegalArgumentException.class, () -> parse("olivia:operator:$2a$04$short"));
  }

  @Test
  void anUnknownRoleIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> parse("olivia:admin:" + HASH));
    assertTrue(e.getMessage().contains("unknown role 'admin'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("olivia:Operator:" + HASH));
  }

  @Test
  void malformedEntriesAndNamesListedTwiceAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> parse("olivia:" + HASH.replace(":", "")));
    assertThrows(IllegalArgumentException.class, () -> parse("olivia"));
    assertThrows(IllegalArgumentException.class, () -> parse("oli|via:agent:" + HASH));
    var twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("olivia:agent:" + HASH + ",olivia:operator:" + HASH));
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
  }

  @Test
  void theTestEmployeesSignInWithTheirPasswordsOnly() {
    Employees employees = parse(TestEmployees.ENTRIES);

    assertEquals(2, employees.size());
    assertEquals(
        Optional.of(new Employee(TestEmployees.OPERATOR, Employee.Role.OPERATOR)),
        employees.verify(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD));
    assertEquals(
        Optional.of(new Employee(TestEmployees.AGENT, Employee.Role.AGENT)),
        employees.verify(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD));
    assertEquals(
        Optional.empty(), employees.verify(TestEmployees.AGENT, TestEmployees.OPERATOR_PASSWORD));
    assertEquals(Optional.empty(), employees.verify("nobody", TestEmployees.OPERATOR_PASSWORD));
    assertEquals(Optional.empty(), employees.verify(TestEmployees.OPERATOR, ""));
    assertEquals(Optional.empty(), employees.verify(TestEmployees.OPERATOR, "x".repeat(500)));
    assertEquals(Optional.empty(), employees.verify(null, null));
  }

  @Test
  void theRolesNest() {
    assertTrue(Employee.Role.OPERATOR.includes(Employee.Role.AGENT));
    assertTrue(Employee.Role.AGENT.includes(Employee.Role.AGENT));
    assertFalse(Employee.Role.AGENT.includes(Employee.Role.OPERATOR));
  }

  @Test
  void entriesComeFromTheEnvironmentAndAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("employees");
    Files.writeString(file, "# the night shift\n\nnina:agent:" + HASH + "\n");

    Employees employees =
        Employees.parse("olivia:operator:" + HASH, file.toString(), Clock.systemUTC());

    assertEquals(2, employees.size());
    assertEquals(
        Optional.of(new Employee("nina", Employee.Role.AGENT)),
        employees.verify("nina", "a-good-password"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Employees.parse("", dir.resolve("missing").toString(), Clock.systemUTC()));
  }

  @Test
  void passwordChecksBeyondTheQueueFailAtOnceInsteadOfWaiting() {
    // one thread, one waiting: of 20 checks at once (bcrypt cost 10, tens of ms each) most are
    // refused at once rather than queued
    String slow = new BCryptPasswordEncoder(10).encode("a-good-password");
    Employees employees = parse("olivia:operator:" + slow).withChecks(1, 1);
    java.util.List<java.util.concurrent.CompletableFuture<java.util.Optional<Employee>>> checks =
        new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      checks.add(employees.verifyAsync("olivia", "guess-" + i).toCompletableFuture());
    }
    long refused =
        checks.stream()
            .filter(
                c ->
                    c.isCompletedExceptionally()
                        && assertThrows(java.util.concurrent.ExecutionException.class, c::get)
                                .getCause()
                            instanceof Employees.ChecksBusyException)
            .count();
    assertTrue(refused >= 18, "refused at once: " + refused);
    checks.forEach(c -> c.handle((r, e) -> null).join());
  }
}
