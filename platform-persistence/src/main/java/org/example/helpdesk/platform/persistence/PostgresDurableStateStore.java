package org.example.helpdesk.platform.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.PlannedEachTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state of entities in PostgreSQL, in the table and format of pekko-persistence-jdbc's
 * durable state store ({@code durable_state}: one row per entity, its latest revision, serialized
 * with Pekko serialization), written on plain prepared statements.
 *
 * <p>Why not that store: it builds its Slick queries anew on every call (about 30 % of the customer
 * node's CPU in the benchmark) and writes each entity in a transaction of its own. Here a few lanes
 * (threads, each with a connection) take whatever is waiting: all waiting reads as one query, all
 * waiting writes as one transaction (a JDBC batch), so that under load a commit carries many
 * entities. Every write stamps the row with its transaction id and a new global offset in the same
 * statement, which is what the commit-ordered change feed reads by.
 */
public final class PostgresDurableStateStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresDurableStateStore.class);

  private static final String SELECT =
      "SELECT d.persistence_id, d.revision, d.state_payload, d.state_serial_id, d.state_serial_manifest"
          + " FROM unnest(?::text[]) AS wanted(id) JOIN durable_state d ON d.persistence_id = wanted.id";
  // Writes of several entities go as one statement each for inserts and updates, the rows as
  // arrays: one execution per batch instead of one per entity (PostgreSQL's cost per statement is
  // most of the cost of a small write). RETURNING tells which rows were written.
  private static final String ROWS =
      "unnest(?::text[], ?::bigint[], ?::bytea[], ?::int[], ?::text[], ?::text[], ?::bigint[])"
          + " AS w(persistence_id, revision, payload, serializer, manifest, tag, ts)";
  private static final String INSERT =
      "INSERT INTO durable_state (persistence_id, revision, state_payload, state_serial_id,"
          + " state_serial_manifest, tag, state_timestamp) SELECT * FROM "
          + ROWS
          + " ON CONFLICT (persistence_id) DO NOTHING RETURNING persistence_id";
  private static final String UPDATE =
      "UPDATE durable_state d SET revision = w.revision, state_payload = w.payload, state_serial_id = w.serializer,"
          + " state_serial_manifest = w.manifest, tag = w.tag, state_timestamp = w.ts,"
          + " global_offset = nextval('durable_state_global_offset_seq'), tx_id = pg_current_xact_id()"
          + " FROM "
          + ROWS
          + " WHERE d.persistence_id = w.persistence_id AND d.revision = w.revision - 1 RETURNING d.persistence_id";
  private static final String DELETE = "DELETE FROM durable_state WHERE persistence_id = ?";

  /** A stored state: its revision and value; no row is revision 0 and no value. */
  public record Stored(long revision, Object value) {}

  private sealed interface Op permits Read, Write, Delete {
    /** When it was asked for ({@link System#nanoTime}). */
    long asked();
  }

  private record Read(String persistenceId, CompletableFuture<Stored> result, long asked)
      implements Op {}

  private record Write(
      String persistenceId,
      long revision,
      byte[] payload,
      int serializerId,
      String manifest,
      String tag,
      long timestamp,
      CompletableFuture<Done> result,
      long asked)
      implements Op {}

  private record Delete(String persistenceId, CompletableFuture<Done> result, long asked)
      implements Op {}

  /** A lane's batch since when ({@link System#nanoTime}). */
  private record Running(List<Op> ops, long since) {}

  private final DataSource dataSource;
  private final Serialization serialization;
  private final int maxBatch;
  private final java.util.function.Consumer<java.util.Collection<String>> committed;
  private final long lingerNanos;
  private final int maxWaiting;
  private final BlockingQueue<Op> waiting;
  private final List<Thread> lanes = new ArrayList<>();
  private final AtomicReferenceArray<Running> runningBatches;
  private final long waitNanos;
  private final long callNanos;
  private volatile boolean running = true;

  /**
   * @param linger how long a lane that found little waiting waits for more before it writes
   * @param committed told after every commit of writes, with their tags (to wake the followers of
   *     those tags)
   * @param maxWaiting operations that may wait for a lane; more fail at once
   * @param waitTimeout an operation that no lane took up within this fails, undone (null: waits)
   * @param callTimeout an operation not done within this fails; its outcome is unknown, as with a
   *     connection lost in the middle (null: waits, at most the driver's socket timeout)
   */
  public PostgresDurableStateStore(
      DataSource dataSource,
      Serialization serialization,
      int lanes,
      int maxBatch,
      java.time.Duration linger,
      java.util.function.Consumer<java.util.Collection<String>> committed,
      String name,
      int maxWaiting,
      java.time.Duration waitTimeout,
      java.time.Duration callTimeout) {
    this.dataSource = dataSource;
    this.maxWaiting = maxWaiting;
    this.waiting = new LinkedBlockingQueue<>(maxWaiting);
    this.runningBatches = new AtomicReferenceArray<>(lanes);
    this.waitNanos = waitTimeout == null ? Long.MAX_VALUE : waitTimeout.toNanos();
    this.callNanos = callTimeout == null ? Long.MAX_VALUE : callTimeout.toNanos();
    this.serialization = serialization;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
    this.committed = committed;
    for (int i = 0; i < lanes; i++) {
      int index = i;
      Thread lane = new Thread(() -> work(index), name + "-state-" + (i + 1));
      lane.setDaemon(true);
      lane.start();
      this.lanes.add(lane);
    }
    if (waitTimeout != null || callTimeout != null) {
      Thread watch = new Thread(this::watch, name + "-state-deadlines");
      watch.setDaemon(true);
      watch.start();
      this.lanes.add(watch);
    }
  }

  public CompletableFuture<Stored> get(String persistenceId) {
    return enqueue(new Read(persistenceId, new CompletableFuture<>(), System.nanoTime())).result();
  }

  /** Stores revision {@code revision}; fails if the stored one is not {@code revision - 1}. */
  public CompletableFuture<Done> upsert(
      String persistenceId, long revision, Object value, String tag) {
    Serializer serializer;
    byte[] payload;
    try {
      serializer = serialization.findSerializerFor(value);
      payload = serializer.toBinary(value);
    } catch (Exception e) { // (Pekko's serialization throws NotSerializableException undeclared)
      return CompletableFuture.failedFuture(e);
    }
    String manifest = Serializers.manifestFor(serializer, value);
    String storedTag = tag == null || tag.isEmpty() ? null : tag;
    return enqueue(
            new Write(
                persistenceId,
                revision,
                payload,
                serializer.identifier(),
                manifest,
                storedTag,
                System.currentTimeMillis(),
                new CompletableFuture<>(),
                System.nanoTime()))
        .result();
  }

  public CompletableFuture<Done> delete(String persistenceId) {
    return enqueue(new Delete(persistenceId, new CompletableFuture<>(), System.nanoTime()))
        .result();
  }

  private <O extends Op> O enqueue(O op) {
    if (!running) {
      fail(op, new IllegalStateException("the durable state store is closed"));
    } else if (!waiting.offer(op)) {
      fail(
          op,
          new Database.DatabaseBusyException(
              "the database is not answering: "
                  + maxWaiting
                  + " entity states are waiting for it already"));
    }
    return op;
  }

  /**
   * Fails what waits or runs too long, so that no entity waits on a database that does not answer
   * for longer than the timeouts (a lane stuck on a dead connection is freed by the driver's socket
   * timeout).
   */
  private void watch() {
    while (running) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      Op first;
      while ((first = waiting.peek()) != null && now - first.asked() > waitNanos) {
        if (waiting.remove(first)) {
          fail(
              first,
              new Database.DatabaseBusyException(
                  "the database is not answering: no connection within "
                      + waitNanos / 1_000_000
                      + " ms"));
        }
      }
      for (int i = 0; i < runningBatches.length(); i++) {
        Running batch = runningBatches.get(i);
        if (batch != null && now - batch.since() > callNanos) {
          batch
              .ops()
              .forEach(
                  op ->
                      fail(
                          op,
                          new Database.DatabaseBusyException(
                              "the database is not answering: no answer within "
                                  + callNanos / 1_000_000
                                  + " ms")));
        }
      }
    }
  }

  private void work(int lane) {
    List<Op> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        Op first = waiting.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        waiting.drainTo(batch, maxBatch - 1);
        if (batch.size() < maxBatch && lingerNanos > 0) {
          // a moment for more to arrive: under load a commit then carries several entities, which
          // costs each of them far less than a commit of its own
          Op more = waiting.poll(lingerNanos, TimeUnit.NANOSECONDS);
          if (more != null) {
            batch.add(more);
            waiting.drainTo(batch, maxBatch - batch.size());
          }
        }
        if (callNanos != Long.MAX_VALUE) {
          runningBatches.set(lane, new Running(List.copyOf(batch), System.nanoTime()));
        }
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Durable state lane failed", e);
        batch.forEach(op -> fail(op, e));
      } finally {
        runningBatches.set(lane, null);
        batch.clear();
      }
    }
  }

  private void run(List<Op> batch) {
    List<Read> reads = new ArrayList<>();
    List<Write> writes = new ArrayList<>();
    List<Delete> deletes = new ArrayList<>();
    for (Op op : batch) {
      if (op instanceof Read r) {
        reads.add(r);
      } else if (op instanceof Write w) {
        writes.add(w);
      } else if (op instanceof Delete d) {
        deletes.add(d);
      }
    }
    try (Connection connection = dataSource.getConnection()) {
      if (!reads.isEmpty()) {
        read(connection, reads);
      }
      while (!writes.isEmpty()) {
        writes = write(connection, writes);
      }
      for (Delete d : deletes) {
        try (PreparedStatement s = connection.prepareStatement(DELETE)) {
          s.setString(1, d.persistenceId());
          s.executeUpdate();
        }
        d.result().complete(Done.getInstance());
      }
    } catch (SQLException | RuntimeException e) {
      batch.forEach(op -> fail(op, e));
    }
  }

  private void read(Connection connection, List<Read> reads) throws SQLException {
    Set<String> ids = new HashSet<>();
    reads.forEach(r -> ids.add(r.persistenceId()));
    Map<String, Stored> found = new HashMap<>();
    Map<String, RuntimeException> unreadable = new HashMap<>();
    try (PreparedStatement s = connection.prepareStatement(SELECT)) {
      PlannedEachTime.mark(s);
      Array array = connection.createArrayOf("text", ids.toArray());
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          try {
            String manifest = rs.getString(5);
            Object value =
                serialization
                    .deserialize(rs.getBytes(3), rs.getInt(4), manifest == null ? "" : manifest)
                    .get();
            found.put(id, new Stored(rs.getLong(2), value));
          } catch (RuntimeException e) {
            unreadable.put(id, e);
          }
        }
      }
      array.free();
    }
    for (Read r : reads) {
      RuntimeException problem = unreadable.get(r.persistenceId());
      if (problem != null) {
        r.result().completeExceptionally(problem);
      } else {
        r.result().complete(found.getOrDefault(r.persistenceId(), new Stored(0, null)));
      }
    }
  }

  /**
   * Writes one revision of each entity in one transaction; returns the writes of entities that
   * appeared twice in the batch, for the next transaction.
   */
  private List<Write> write(Connection connection, List<Write> writes) throws SQLException {
    List<Write> now = new ArrayList<>();
    List<Write> later = new ArrayList<>();
    Set<String> entities = new HashSet<>();
    for (Write w : writes) {
      (entities.add(w.persistenceId()) ? now : later).add(w);
    }
    List<Write> inserts = new ArrayList<>();
    List<Write> updates = new ArrayList<>();
    for (Write w : now) {
      (w.revision() == 1 ? inserts : updates).add(w);
    }
    connection.setAutoCommit(false);
    try {
      Set<String> written = new HashSet<>();
      if (!inserts.isEmpty()) {
        written.addAll(execute(connection, INSERT, inserts));
      }
      if (!updates.isEmpty()) {
        written.addAll(execute(connection, UPDATE, updates));
      }
      connection.commit();
      Set<String> tags = new HashSet<>();
      for (Write w : now) {
        tags.add(w.tag() == null ? "" : w.tag());
      }
      committed.accept(tags.contains("") ? List.of() : tags);
      complete(now, written);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
    return later;
  }

  /** Runs an array statement for the writes; returns the persistence ids it wrote. */
  private static Set<String> execute(Connection connection, String sql, List<Write> writes)
      throws SQLException {
    int n = writes.size();
    String[] ids = new String[n];
    Long[] revisions = new Long[n];
    byte[][] payloads = new byte[n][];
    Integer[] serializers = new Integer[n];
    String[] manifests = new String[n];
    String[] tags = new String[n];
    Long[] timestamps = new Long[n];
    for (int i = 0; i < n; i++) {
      Write w = writes.get(i);
      ids[i] = w.persistenceId();
      revisions[i] = w.revision();
      payloads[i] = w.payload();
      serializers[i] = w.serializerId();
      manifests[i] = w.manifest();
      tags[i] = w.tag();
      timestamps[i] = w.timestamp();
    }
    Set<String> written = new HashSet<>();
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      if (sql == UPDATE) {
        // it joins the table: planned with the table's current size (see PlannedEachTime)
        PlannedEachTime.mark(s);
      }
      s.setArray(1, connection.createArrayOf("text", ids));
      s.setArray(2, connection.createArrayOf("bigint", revisions));
      s.setArray(3, connection.createArrayOf("bytea", payloads));
      s.setArray(4, connection.createArrayOf("int4", serializers));
      s.setArray(5, connection.createArrayOf("text", manifests));
      s.setArray(6, connection.createArrayOf("text", tags));
      s.setArray(7, connection.createArrayOf("bigint", timestamps));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          written.add(rs.getString(1));
        }
      }
    }
    return written;
  }

  private static void complete(List<Write> writes, Set<String> written) {
    for (Write w : writes) {
      if (written.contains(w.persistenceId())) {
        w.result().complete(Done.getInstance());
      } else {
        // another incarnation of the entity wrote first (or the row is gone): never overwrite it
        w.result()
            .completeExceptionally(
                new IllegalStateException(
                    "Incorrect revision number "
                        + w.revision()
                        + " for "
                        + w.persistenceId()
                        + ": the stored revision is not "
                        + (w.revision() - 1)));
      }
    }
  }

  private static void fail(Op op, Throwable e) {
    if (op instanceof Read r) {
      r.result().completeExceptionally(e);
    } else if (op instanceof Write w) {
      w.result().completeExceptionally(e);
    } else if (op instanceof Delete d) {
      d.result().completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    running = false;
    lanes.forEach(Thread::interrupt);
    List<Op> left = new ArrayList<>();
    waiting.drainTo(left);
    left.forEach(op -> fail(op, new IllegalStateException("the durable state store is closed")));
  }
}
