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
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.example.helpdesk.platform.db.PlannedEachTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state of entities in PostgreSQL, in the table and format of pekko-persistence-jdbc's
 * durable state store ({@code durable_state}: one row per entity, its latest revision, serialized
 * with Pekko serialization), written on plain prepared statements.
 *
 * <p>Why not that store: it builds its Slick queries anew on every call (about 30 % of the customer
 * node's CPU in the benchmark) and writes each entity in a transaction of its own. Here a few
 * lanes (threads, each with a connection) take whatever is waiting: all waiting reads as one query,
 * all waiting writes as one transaction (a JDBC batch), so that under load a commit carries many
 * entities. Every write stamps the row with its transaction id and a new global offset in the same
 * statement, which is what the commit-ordered change feed reads by.
 */
public final class PostgresDurableStateStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresDurableStateStore.class);

  private static final String SELECT =
      "SELECT d.persistence_id, d.revision, d.state_payload, d.state_serial_id, d.state_serial_manifest"
          + " FROM unnest(?::text[]) AS wanted(id) JOIN durable_state d ON d.persistence_id = wanted.id";
  private static final String INSERT =
      "INSERT INTO durable_state (persistence_id, revision, state_payload, state_serial_id,"
          + " state_serial_manifest, tag, state_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (persistence_id) DO NOTHING";
  private static final String UPDATE =
      "UPDATE durable_state SET revision = ?, state_payload = ?, state_serial_id = ?,"
          + " state_serial_manifest = ?, tag = ?, state_timestamp = ?,"
          + " global_offset = nextval('durable_state_global_offset_seq'), tx_id = pg_current_xact_id()"
          + " WHERE persistence_id = ? AND revision = ?";
  private static final String DELETE = "DELETE FROM durable_state WHERE persistence_id = ?";

  /** A stored state: its revision and value; no row is revision 0 and no value. */
  public record Stored(long revision, Object value) {}

  private sealed interface Op permits Read, Write, Delete {}

  private record Read(String persistenceId, CompletableFuture<Stored> result) implements Op {}

  private record Write(
      String persistenceId,
      long revision,
      byte[] payload,
      int serializerId,
      String manifest,
      String tag,
      long timestamp,
      CompletableFuture<Done> result)
      implements Op {}

  private record Delete(String persistenceId, CompletableFuture<Done> result) implements Op {}

  private final DataSource dataSource;
  private final Serialization serialization;
  private final int maxBatch;
  private final Runnable committed;
  private final BlockingQueue<Op> waiting = new LinkedBlockingQueue<>();
  private final List<Thread> lanes = new ArrayList<>();
  private volatile boolean running = true;

  /** @param committed told after every commit of writes (to wake the table's followers) */
  public PostgresDurableStateStore(
      DataSource dataSource, Serialization serialization, int lanes, int maxBatch, Runnable committed, String name) {
    this.dataSource = dataSource;
    this.serialization = serialization;
    this.maxBatch = maxBatch;
    this.committed = committed;
    for (int i = 1; i <= lanes; i++) {
      Thread lane = new Thread(this::work, name + "-state-" + i);
      lane.setDaemon(true);
      lane.start();
      this.lanes.add(lane);
    }
  }

  public CompletableFuture<Stored> get(String persistenceId) {
    return enqueue(new Read(persistenceId, new CompletableFuture<>())).result();
  }

  /** Stores revision {@code revision}; fails if the stored one is not {@code revision - 1}. */
  public CompletableFuture<Done> upsert(String persistenceId, long revision, Object value, String tag) {
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
                new CompletableFuture<>()))
        .result();
  }

  public CompletableFuture<Done> delete(String persistenceId) {
    return enqueue(new Delete(persistenceId, new CompletableFuture<>())).result();
  }

  private <O extends Op> O enqueue(O op) {
    if (!running) {
      fail(op, new IllegalStateException("the durable state store is closed"));
    } else {
      waiting.add(op);
    }
    return op;
  }

  private void work() {
    List<Op> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        Op first = waiting.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        waiting.drainTo(batch, maxBatch - 1);
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Durable state lane failed", e);
        batch.forEach(op -> fail(op, e));
      } finally {
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
                serialization.deserialize(rs.getBytes(3), rs.getInt(4), manifest == null ? "" : manifest).get();
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
      int[] inserted = new int[0];
      int[] updated = new int[0];
      if (!inserts.isEmpty()) {
        try (PreparedStatement s = connection.prepareStatement(INSERT)) {
          for (Write w : inserts) {
            s.setString(1, w.persistenceId());
            s.setLong(2, w.revision());
            s.setBytes(3, w.payload());
            s.setInt(4, w.serializerId());
            s.setString(5, w.manifest());
            s.setString(6, w.tag());
            s.setLong(7, w.timestamp());
            s.addBatch();
          }
          inserted = s.executeBatch();
        }
      }
      if (!updates.isEmpty()) {
        try (PreparedStatement s = connection.prepareStatement(UPDATE)) {
          for (Write w : updates) {
            s.setLong(1, w.revision());
            s.setBytes(2, w.payload());
            s.setInt(3, w.serializerId());
            s.setString(4, w.manifest());
            s.setString(5, w.tag());
            s.setLong(6, w.timestamp());
            s.setString(7, w.persistenceId());
            s.setLong(8, w.revision() - 1);
            s.addBatch();
          }
          updated = s.executeBatch();
        }
      }
      connection.commit();
      committed.run();
      complete(inserts, inserted);
      complete(updates, updated);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
    return later;
  }

  private static void complete(List<Write> writes, int[] counts) {
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      if (counts[i] == 1) {
        w.result().complete(Done.getInstance());
      } else {
        // another incarnation of the entity wrote first (or the row is gone): never overwrite it
        w.result()
            .completeExceptionally(
                new IllegalStateException(
                    "Incorrect revision number " + w.revision() + " for " + w.persistenceId()
                        + ": the stored revision is not " + (w.revision() - 1)));
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
