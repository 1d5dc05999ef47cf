package org.example.helpdesk.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Watches the backoffice read table for new tickets (a cheap query every 200 ms on the row's {@code
 * projected_at}), and takes end-to-end latency as the time from the customer's 201 to the
 * projection's insert of the row.
 */
final class Visibility implements OpenLoop.Watch, AutoCloseable {

  final Recorder endToEndMicros = new Recorder(3);
  final AtomicLong visible = new AtomicLong();

  /** The queries it made (each a transaction of the database's). */
  final AtomicLong polls = new AtomicLong();

  private final Map<UUID, Long> acceptedAt = new ConcurrentHashMap<>();
  private final Map<UUID, Long> seenBeforeAccepted = new ConcurrentHashMap<>();
  private final Set<UUID> seen = new HashSet<>();
  private final Connection connection;
  private final Thread poller;
  private volatile boolean running = true;
  private Timestamp cursor = new Timestamp(0);

  Visibility(String jdbcUrl, String user, String password) throws Exception {
    connection = DriverManager.getConnection(jdbcUrl, user, password);
    poller = new Thread(this::poll, "visibility-poller");
    poller.setDaemon(true);
    poller.start();
  }

  @Override
  public void accepted(UUID ticket, long atMicros) {
    Long projected = seenBeforeAccepted.remove(ticket);
    if (projected != null) {
      endToEndMicros.recordValue(Math.max(0, projected - atMicros));
    } else {
      acceptedAt.put(ticket, atMicros);
    }
  }

  private void poll() {
    // rows commit slightly out of projected_at order (four projection instances): look back a
    // second each time, and count each ticket once
    String sql =
        "SELECT ticket_id, projected_at FROM tickets WHERE projected_at > CAST(? AS timestamptz) - interval '1 second' "
            + "ORDER BY projected_at";
    while (running) {
      try (PreparedStatement s = connection.prepareStatement(sql)) {
        s.setTimestamp(1, cursor);
        polls.incrementAndGet();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            UUID id = rs.getObject(1, UUID.class);
            Timestamp at = rs.getTimestamp(2);
            if (at.after(cursor)) {
              cursor = at;
            }
            if (seen.add(id)) {
              visible.incrementAndGet();
              long projectedMicros = ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
              Long accepted = acceptedAt.remove(id);
              if (accepted != null) {
                endToEndMicros.recordValue(Math.max(0, projectedMicros - accepted));
              } else {
                seenBeforeAccepted.put(id, projectedMicros);
              }
            }
          }
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (running) {
          System.err.println("visibility poll failed: " + e);
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    running = false;
    poller.interrupt();
    poller.join(5000);
    connection.close();
  }
}
