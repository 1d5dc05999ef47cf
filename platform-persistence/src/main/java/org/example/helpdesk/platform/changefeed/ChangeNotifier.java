package org.example.helpdesk.platform.changefeed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the followers of a table, on every node, that it changed: a {@code NOTIFY} on the table's
 * channel, sent by a thread of its own after the writer committed.
 *
 * <p>Why not from inside the writing transaction (a trigger): PostgreSQL serializes the commits of
 * all transactions that notify on one database-wide lock, held through the commit's WAL flush. In
 * the benchmark that capped the whole node at one commit per fsync. A notification-only transaction
 * writes no WAL, so it holds that lock for microseconds; changes reported while one is sent
 * coalesce into the next. A crash between a commit and its notification costs the followers one
 * fallback poll, never a change.
 */
public final class ChangeNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeNotifier.class);

  private static final Duration COALESCE = Duration.ofMillis(5);

  private final DatabaseSettings settings;
  private final String channel;
  private final AtomicBoolean changed = new AtomicBoolean();

  /** Tags written since the last notification; null in it: a write of unknown tags. */
  private final Set<String> tags = ConcurrentHashMap.newKeySet();

  private static final String ANY = "";
  private final Thread thread;
  private volatile boolean running = true;

  private ChangeNotifier(DatabaseSettings settings, String name, String table) {
    this.settings = settings;
    this.channel = ChangeNotifications.channel(settings.schema(), table);
    this.thread = new Thread(this::run, name + "-notify-" + table);
    this.thread.setDaemon(true);
  }

  /** Notifies the followers of this table of the node's schema. */
  public static ChangeNotifier start(DatabaseSettings settings, String name, String table) {
    ChangeNotifier notifier = new ChangeNotifier(settings, name, table);
    notifier.thread.start();
    return notifier;
  }

  /** The table changed, tags unknown (and the change is committed). Returns at once. */
  public void changed() {
    tags.add(ANY);
    wake();
  }

  /** Rows of these tags changed (and the change is committed). Returns at once. */
  public void changed(Collection<String> written) {
    if (written.isEmpty()) {
      tags.add(ANY);
    } else {
      tags.addAll(written);
    }
    wake();
  }

  private void wake() {
    if (changed.compareAndSet(false, true)) {
      LockSupport.unpark(thread);
    }
  }

  /** The payload: the tags written since the last one, or empty for any. */
  private String takeTags() {
    List<String> taken = new ArrayList<>(tags);
    tags.removeAll(taken);
    if (taken.contains(ANY)) {
      return ANY;
    }
    String payload = String.join(",", taken);
    // (a notification's payload is at most 8000 bytes; tags are short and few)
    return payload.length() > 7_000 ? ANY : payload;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(500);
    while (running) {
      try (Connection c = DedicatedConnection.open(settings, thread.getName(), 10);
          PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        notify.setString(1, channel);
        backoff = Duration.ofMillis(500);
        while (running) {
          while (!changed.getAndSet(false)) {
            LockSupport.park(this);
            if (!running) {
              return;
            }
          }
          notify.setString(2, takeTags());
          notify.execute();
          // under load, one notification for all the commits of the next moment: each one wakes
          // every feed of the table on every node, and they read at most every few ms anyway
          LockSupport.parkNanos(COALESCE.toNanos());
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        // the followers poll meanwhile; nothing is lost, only later
        log.warn(
            "Could not notify the followers of {}, again in {}: {}",
            channel,
            backoff,
            e.toString());
        LockSupport.parkNanos(backoff.toNanos());
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
  }
}
