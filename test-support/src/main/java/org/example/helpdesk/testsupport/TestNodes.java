package org.example.helpdesk.testsupport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/** Configuration for a node under test: the test database and broker, ports the OS picks. */
public final class TestNodes {

  private TestNodes() {}

  /** The customer node's admin token in tests ({@code helpdesk.admin.token}, ADMIN_TOKEN). */
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  /**
   * @param schema the node's own schema, fresh for the test (see {@link
   *     TestPostgres#newSchemaName})
   */
  public static Config config(String schema) {
    return ConfigFactory.parseMap(
            Map.of(
                "helpdesk.database.url",
                TestPostgres.jdbcUrl(),
                "helpdesk.database.user",
                TestPostgres.user(),
                "helpdesk.database.password",
                TestPostgres.password(),
                "helpdesk.database.schema",
                schema,
                "helpdesk.amqp.uri",
                TestBroker.amqpUri(),
                "helpdesk.http.host",
                "127.0.0.1",
                "helpdesk.http.port",
                0,
                "helpdesk.cluster.port",
                0,
                "helpdesk.cluster.seed-nodes",
                "",
                // (ignored by the customer node)
                "helpdesk.auth.employees",
                TestEmployees.ENTRIES))
        // (ignored by the backoffice node)
        .withFallback(ConfigFactory.parseMap(Map.of("helpdesk.admin.token", ADMIN_TOKEN)));
  }
}
