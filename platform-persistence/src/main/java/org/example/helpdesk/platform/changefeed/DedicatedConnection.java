package org.example.helpdesk.platform.changefeed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;

/** A connection outside the pool, held for good by one thread that listens or notifies. */
final class DedicatedConnection {

  private DedicatedConnection() {}

  /**
   * Opens it with the pool's bounds on connecting and logging in ({@code connect-timeout}) and the
   * server's statement timeout, but a socket timeout of its own.
   *
   * @param socketTimeoutSeconds a black-holed connection fails a statement after this long instead
   *     of hanging for ever; longer than any wait of the thread's own (a listener waits for
   *     notifications for a few seconds between two statements)
   */
  static Connection open(
      DatabaseSettings settings, String applicationName, int socketTimeoutSeconds)
      throws SQLException {
    Properties props = Database.driverProperties(settings);
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
    return DriverManager.getConnection(settings.url(), props);
  }
}
