package org.example.helpdesk.benchmark;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The return flow, as the customer sees it: for each accepted report, the time from the customer's
 * 201 until the customer's issue has recorded that support received it (progress {@code received}:
 * the backoffice's {@code ticket.ticketWasPrepared} published from its journal, consumed by the
 * customer node and written to the issue).
 *
 * <p>How it is seen, as cheaply as the benchmark can: every 200 ms, while issues are waiting, one
 * query reads the rows of just those issues from the customer's {@code durable_state} by primary
 * key, and keeps those whose stored document holds the step. The time is the row's {@code
 * state_timestamp}, which the node stamps when it writes the issue: a poll's delay does not count.
 * Nothing is read while no issue waits.
 *
 * <p>What the stored document of an issue looks like is the customer node's ({@code IssueJson}):
 * the outbox entry {@code "step":"prepared"}, compact JSON as Pekko's Jackson serializer writes it
 * (uncompressed below 32 KiB: a benchmark report is far smaller). The benchmark closes some issues
 * right after their report; where such a close was written after the step, the row's timestamp is
 * the close's, a little later than the receipt: such round trips are counted apart ({@link
 * #timedByLaterClose}), and they are rare, since the close is sent as soon as the 201 is in.
 */
final class RoundTrip implements OpenLoop.Watch, AutoCloseable {

  static final String RECEIVED = "\"step\":\"prepared\"";
  static final String CLOSED = "\"fact\":\"closed\"";

  private static final String SQL =
      "SELECT d.persistence_id, d.state_timestamp, position(? IN d.state_payload),"
          + " position(? IN d.state_payload)"
          + " FROM unnest(?::text[]) AS w(id) JOIN durable_state d ON d.persistence_id = w.id"
          + " WHERE position(? IN d.state_payload) > 0";

  /** The round trips, in microseconds. */
  final Recorder roundTripMicros = new Recorder(3);

  /** Issues whose receipt the customer recorded. */
  final AtomicLong returned = new AtomicLong();

  /** Of those, the ones timed by the benchmark's own close written after the receipt. */
  final AtomicLong timedByLaterClose = new AtomicLong();

  /** The queries it made (each a transaction of the database's). */
  final AtomicLong polls = new AtomicLong();

  private final Map<UUID, Long> waiting = new ConcurrentHashMap<>();
  private final Connection connection;
  private final Thread poller;
  private volatile boolean running = true;

  /**
   * @param jdbcUrl the customer's schema
   */
  RoundTrip(String jdbcUrl, String user, String password) throws Exception {
    connection = DriverManager.getConnection(jdbcUrl, user, password);
    poller = new Thread(this::poll, "round-trip-poller");
    poller.setDaemon(true);
    poller.start();
  }

  @Override
  public void accepted(UUID issue, long atMicros) {
    waiting.put(issue, atMicros);
  }

  /** Accepted issues whose receipt the customer has not recorded yet. */
  int waiting() {
    return waiting.size();
  }

  private void poll() {
    byte[] received = RECEIVED.getBytes(StandardCharsets.UTF_8);
    byte[] closed = CLOSED.getBytes(StandardCharsets.UTF_8);
    while (running) {
      try {
        if (!waiting.isEmpty()) {
          Object[] ids = waiting.keySet().stream().map(id -> "Issue|" + id).toArray();
          try (PreparedStatement s = connection.prepareStatement(SQL)) {
            Array array = connection.createArrayOf("text", ids);
            s.setBytes(1, received);
            s.setBytes(2, closed);
            s.setArray(3, array);
            s.setBytes(4, received);
            polls.incrementAndGet();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                String persistenceId = rs.getString(1);
                UUID id = UUID.fromString(persistenceId.substring(persistenceId.indexOf('|') + 1));
                Long acceptedAt = waiting.remove(id);
                if (acceptedAt == null) {
                  continue;
                }
                long writtenMicros = rs.getLong(2) * 1000;
                roundTripMicros.recordValue(Math.max(0, writtenMicros - acceptedAt));
                returned.incrementAndGet();
                if (rs.getInt(4) > rs.getInt(3)) {
                  timedByLaterClose.incrementAndGet();
                }
              }
            }
            array.free();
          }
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (running) {
          System.err.println("round-trip poll failed: " + e);
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
