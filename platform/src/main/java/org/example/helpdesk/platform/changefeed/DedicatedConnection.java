package org.example.helpdesk.platform.changefeed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.example.helpdesk.platform.config.DatabaseSettings;

/** A connection outside the pool, held for good by one thread that listens or notifies. */
final class DedicatedConnection {

  private DedicatedConnection() {}

  /**
   * @param socketTimeoutSeconds a black-holed connection fails a statement after this long
   *     instead of hanging for ever
   */
  static Connection open(DatabaseSettings settings, String applicationName, int socketTimeoutSeconds) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
    props.setProperty("connectTimeout", "5");
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(settings.url(), props);
  }
}
