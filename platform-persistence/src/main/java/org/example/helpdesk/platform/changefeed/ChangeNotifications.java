package org.example.helpdesk.platform.changefeed;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one {@code LISTEN} connection: the writers of each followed table {@code NOTIFY} after
 * they committed ({@link ChangeNotifier}), naming the tags they wrote, and this raises the {@link
 * ChangeSignal} of those tags of that table, so that feeds read when woken instead of polling, and
 * only the feeds of the tags written.
 *
 * <p>Notifications can be missed (the connection drops, the node starts after a write): after every
 * (re)connect all signals are raised, and feeds still read every few seconds on their own.
 */
public final class ChangeNotifications implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeNotifications.class);

  /** How long one wait for notifications lasts; a liveness query runs between waits when idle. */
  private static final int WAIT_MILLIS = 5_000;

  private final DatabaseSettings settings;
  private final Map<String, ChangeSignal> signals = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  private ChangeNotifications(DatabaseSettings settings, String name, String... tables) {
    this.settings = settings;
    for (String table : tables) {
      signals.put(channel(settings.schema(), table), new ChangeSignal());
    }
    this.thread = new Thread(this::run, name + "-change-notifications");
    this.thread.setDaemon(true);
  }

  /** Listens for writes to these tables of the node's schema. */
  public static ChangeNotifications start(
      DatabaseSettings settings, String name, String... tables) {
    ChangeNotifications notifications = new ChangeNotifications(settings, name, tables);
    notifications.thread.start();
    return notifications;
  }

  /**
   * The channel of a table: {@code <schema>.<table>}, cut to PostgreSQL's 63 bytes for a channel
   * name (schema and table names here are ASCII).
   */
  public static String channel(String schema, String table) {
    String channel = schema + "." + table;
    return channel.length() > 63 ? channel.substring(0, 63) : channel;
  }

  /** The signal of one of the tables this listens for. */
  public ChangeSignal signal(String table) {
    ChangeSignal signal = signals.get(channel(settings.schema(), table));
    if (signal == null) {
      throw new IllegalArgumentException("not listening for changes of " + table);
    }
    return signal;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(500);
    while (running) {
      try (Connection c =
          DedicatedConnection.open(settings, thread.getName(), WAIT_MILLIS / 1000 + 10)) {
        connection = c;
        backoff = Duration.ofMillis(500);
        for (String channel : signals.keySet()) {
          try (Statement s = c.createStatement()) {
            s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
          }
        }
        // whatever was written while we were not listening
        signals.values().forEach(ChangeSignal::raise);
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
          if (received == null || received.length == 0) {
            // idle: make sure the connection still answers (a dead one would keep us waiting)
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            continue;
          }
          for (PGNotification n : received) {
            ChangeSignal signal = signals.get(n.getName());
            if (signal != null) {
              raise(signal, n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "Listening for changes failed, feeds poll until it reconnects in {}: {}",
            backoff,
            e.toString());
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
      } finally {
        connection = null;
      }
    }
  }

  /** A payload names the tags written, comma-separated; an empty one stands for every tag. */
  static void raise(ChangeSignal signal, String payload) {
    if (payload == null || payload.isEmpty()) {
      signal.raise();
      return;
    }
    for (String tag : payload.split(",")) {
      signal.raise(tag);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    thread.interrupt();
  }
}
