package org.example.helpdesk.platform.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.serialization.Serialization;
import org.example.helpdesk.platform.db.PlannedEachTime;
import org.example.helpdesk.platform.persistence.PostgresDurableStateStore.Stored;
import org.example.helpdesk.platform.persistence.StateOp.Delete;
import org.example.helpdesk.platform.persistence.StateOp.Read;
import org.example.helpdesk.platform.persistence.StateOp.Write;

/**
 * The SQL of the {@link PostgresDurableStateStore}: one lane's batch on one connection, all its
 * reads as one query, all its writes as one transaction of array statements, its deletes one by
 * one. Apart from the store, which decides what goes into a batch and when (lanes, linger,
 * deadlines), because this is what decides the stored form: the table and columns of
 * pekko-persistence-jdbc's durable state store, and the transaction id and global offset the
 * commit-ordered change feed reads by.
 */
final class StateBatch {

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

  private final DataSource dataSource;
  private final Serialization serialization;
  private final Consumer<Collection<String>> committed;

  /**
   * @param committed told after every commit of writes, with their tags
   */
  StateBatch(
      DataSource dataSource, Serialization serialization, Consumer<Collection<String>> committed) {
    this.dataSource = dataSource;
    this.serialization = serialization;
    this.committed = committed;
  }

  /** Runs the batch and answers each operation's caller; a failure of the batch fails them all. */
  void run(List<StateOp> batch) {
    List<Read> reads = new ArrayList<>();
    List<Write> writes = new ArrayList<>();
    List<Delete> deletes = new ArrayList<>();
    for (StateOp op : batch) {
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
      batch.forEach(op -> op.fail(e));
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
}
