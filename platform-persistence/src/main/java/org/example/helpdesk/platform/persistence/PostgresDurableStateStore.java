package org.example.helpdesk.platform.persistence;

import java.util.ArrayList;
import java.util.List;
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
import org.example.helpdesk.platform.persistence.StateOp.Delete;
import org.example.helpdesk.platform.persistence.StateOp.Read;
import org.example.helpdesk.platform.persistence.StateOp.Write;
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
 *
 * <p>This class is the lanes and their bounds (what waits, for how long); the statements of a batch
 * are {@link StateBatch}'s.
 */
public final class PostgresDurableStateStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresDurableStateStore.class);

  /** A stored state: its revision and value; no row is revision 0 and no value. */
  public record Stored(long revision, Object value) {}

  /** A lane's batch since when ({@link System#nanoTime}). */
  private record Running(List<StateOp> ops, long since) {}

  private final Serialization serialization;
  private final StateBatch batches;
  private final int maxBatch;
  private final long lingerNanos;
  private final int maxWaiting;
  private final BlockingQueue<StateOp> waiting;
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
    this.batches = new StateBatch(dataSource, serialization, committed);
    this.maxWaiting = maxWaiting;
    this.waiting = new LinkedBlockingQueue<>(maxWaiting);
    this.runningBatches = new AtomicReferenceArray<>(lanes);
    this.waitNanos = waitTimeout == null ? Long.MAX_VALUE : waitTimeout.toNanos();
    this.callNanos = callTimeout == null ? Long.MAX_VALUE : callTimeout.toNanos();
    this.serialization = serialization;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
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

  private <O extends StateOp> O enqueue(O op) {
    if (!running) {
      op.fail(new IllegalStateException("the durable state store is closed"));
    } else if (!waiting.offer(op)) {
      op.fail(
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
      StateOp first;
      while ((first = waiting.peek()) != null && now - first.asked() > waitNanos) {
        if (waiting.remove(first)) {
          first.fail(
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
                      op.fail(
                          new Database.DatabaseBusyException(
                              "the database is not answering: no answer within "
                                  + callNanos / 1_000_000
                                  + " ms")));
        }
      }
    }
  }

  private void work(int lane) {
    List<StateOp> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        StateOp first = waiting.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        waiting.drainTo(batch, maxBatch - 1);
        if (batch.size() < maxBatch && lingerNanos > 0) {
          // a moment for more to arrive: under load a commit then carries several entities, which
          // costs each of them far less than a commit of its own
          StateOp more = waiting.poll(lingerNanos, TimeUnit.NANOSECONDS);
          if (more != null) {
            batch.add(more);
            waiting.drainTo(batch, maxBatch - batch.size());
          }
        }
        if (callNanos != Long.MAX_VALUE) {
          runningBatches.set(lane, new Running(List.copyOf(batch), System.nanoTime()));
        }
        batches.run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Durable state lane failed", e);
        batch.forEach(op -> op.fail(e));
      } finally {
        runningBatches.set(lane, null);
        batch.clear();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    lanes.forEach(Thread::interrupt);
    List<StateOp> left = new ArrayList<>();
    waiting.drainTo(left);
    left.forEach(op -> op.fail(new IllegalStateException("the durable state store is closed")));
  }
}
