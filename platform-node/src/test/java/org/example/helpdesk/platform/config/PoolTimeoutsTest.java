package org.example.helpdesk.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import slick.jdbc.hikaricp.HikariCPJdbcDataSource;

/**
 * Every pool a node opens gets the timeouts of helpdesk-node.conf: the node's own, and the
 * journal's (Slick), whose driver properties come from the same settings.
 */
class PoolTimeoutsTest {

  private static Config node(Map<String, Object> database) {
    Map<String, Object> overrides = new java.util.HashMap<>(database);
    overrides.put("helpdesk.service-name", "pool-timeouts-test");
    overrides.put("helpdesk.defaults.http-port", 0);
    overrides.put("helpdesk.defaults.cluster-port", 0);
    overrides.put("helpdesk.defaults.database-schema", "public");
    overrides.put("helpdesk.database.url", TestPostgres.jdbcUrl());
    overrides.put("helpdesk.database.user", TestPostgres.user());
    overrides.put("helpdesk.database.password", TestPostgres.password());
    return NodeConfig.load("helpdesk-node", ConfigFactory.parseMap(overrides));
  }

  @Test
  void theNodesPoolAndTheJournalsPoolHaveTheSameTimeouts() throws SQLException {
    check(node(Map.of()), "15s", 30_000);
    // as an operator would set them, through the environment (strings)
    check(
        node(
            Map.of(
                "helpdesk.database.statement-timeout",
                "7",
                "helpdesk.database.socket-timeout",
                "21")),
        "7s",
        21_000);
  }

  private static void check(Config config, String statementTimeout, int socketTimeoutMillis)
      throws SQLException {
    DatabaseSettings settings = DatabaseSettings.from(config);
    try (Database database = Database.connect(settings, "pool-timeouts-test");
        Connection c = database.dataSource().getConnection()) {
      assertEquals(statementTimeout, show(c, "statement_timeout"), "node pool");
      assertEquals(socketTimeoutMillis, c.getNetworkTimeout(), "node pool");
    }
    HikariCPJdbcDataSource slick =
        HikariCPJdbcDataSource.forConfig(
            config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db"),
            null,
            "journal-test",
            PoolTimeoutsTest.class.getClassLoader());
    try (Connection c = slick.createConnection()) {
      assertEquals(statementTimeout, show(c, "statement_timeout"), "journal pool");
      assertEquals(socketTimeoutMillis, c.getNetworkTimeout(), "journal pool");
      assertEquals(
          settings.connectionTimeout().toMillis(),
          slick.hconf().getConnectionTimeout(),
          "journal pool");
    } finally {
      slick.close();
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
