package org.example.helpdesk.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.example.helpdesk.platform.db.Database.DatabaseBusyException;
import org.example.helpdesk.platform.db.Database.DatabaseException;
import org.example.helpdesk.platform.db.Database.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a {@link Database}'s blocking JDBC calls and the bounds on every wait of a call:
 * for a thread (the queue is {@code queue-size} long, a call beyond fails at once), for a
 * connection ({@code connection-timeout}) and for the answer ({@code call-timeout}). Apart from
 * {@link Database} because this is the part with its own concurrency (a call's state is raced by
 * its thread and its deadline), while the Database holds the pool and the schema.
 */
final class JdbcCalls {

  // (logged as the Database, where operators have always looked for it)
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DataSource dataSource;
  private final int queueSize;
  private final ThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor deadlines;
  private final long acquireNanos;
  private final long callNanos;
  private final AtomicLong refused = new AtomicLong();

  JdbcCalls(DataSource dataSource, DatabaseSettings settings, String poolName) {
    this.dataSource = dataSource;
    this.queueSize = settings.queueSize();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            settings.poolSize(),
            settings.poolSize(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(settings.queueSize()),
            r -> {
              Thread t = new Thread(r, poolName + "-jdbc-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, poolName + "-jdbc-deadlines");
              t.setDaemon(true);
              return t;
            });
    // a call that ends in time takes its deadline out of the queue
    this.deadlines.setRemoveOnCancelPolicy(true);
    this.callNanos = settings.callTimeout().toNanos();
    this.acquireNanos = Math.min(settings.connectionTimeout().toNanos(), callNanos);
  }

  /** See {@link Database#executor()}. */
  Executor executor() {
    return command -> {
      try {
        executor.execute(command);
      } catch (RejectedExecutionException e) {
        throw new RejectedExecutionException(e.getMessage(), refusal());
      }
    };
  }

  int waiting() {
    return executor.getQueue().size();
  }

  long refused() {
    return refused.get();
  }

  /** See {@link Database#run}. */
  <T> CompletionStage<T> run(SqlWork<T> work) {
    Call<T> call = new Call<>(work);
    try {
      executor.execute(call);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new CompletionException(refusal()));
    }
    call.start();
    return call.result;
  }

  /** Stops taking calls; the ones running finish on their own (their callers are answered). */
  void close() {
    executor.shutdown();
    deadlines.shutdownNow();
  }

  private DatabaseBusyException refusal() {
    if (executor.isShutdown()) {
      return new DatabaseBusyException("the database pool is closed");
    }
    long n = refused.incrementAndGet();
    if (n == 1 || n % 1_000 == 0) {
      log.warn(
          "The database is not answering: {} calls are waiting already; {} refused so far",
          queueSize,
          n);
    }
    return new DatabaseBusyException(
        "the database is not answering: " + queueSize + " calls are waiting for it already");
  }

  /** One call of {@link #run}: waiting for a thread and a connection, then running, then done. */
  private final class Call<T> implements Runnable {
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    final CompletableFuture<T> result = new CompletableFuture<>();
    private final SqlWork<T> work;
    private final long submitted = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile ScheduledFuture<?> deadline;

    Call(SqlWork<T> work) {
      this.work = work;
    }

    /** Arms the deadline of waiting (the call is in the executor). */
    void start() {
      try {
        deadline = deadlines.schedule(this::waitedTooLong, acquireNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return; // closed meanwhile: the call fails on the closed pool
      }
      result.whenComplete((value, failure) -> deadline.cancel(false));
    }

    @Override
    public void run() {
      if (state.get() != WAITING) {
        return; // its caller was answered while it waited
      }
      Connection connection;
      try {
        connection = dataSource.getConnection();
      } catch (SQLException e) {
        if (state.compareAndSet(WAITING, ABANDONED)) {
          result.completeExceptionally(new CompletionException(new DatabaseException(e)));
        }
        return;
      } catch (Throwable e) {
        result.completeExceptionally(new CompletionException(e));
        return;
      }
      if (!state.compareAndSet(WAITING, RUNNING)) {
        close(connection); // too late: its caller was answered meanwhile
        return;
      }
      try (connection) {
        result.complete(work.apply(connection));
      } catch (SQLException e) {
        result.completeExceptionally(new CompletionException(new DatabaseException(e)));
      } catch (Throwable e) {
        result.completeExceptionally(
            e instanceof CompletionException ? e : new CompletionException(e));
      }
    }

    private void waitedTooLong() {
      if (state.compareAndSet(WAITING, ABANDONED)) {
        executor.remove(this); // its place in the queue is free again
        result.completeExceptionally(
            new CompletionException(
                new DatabaseBusyException(
                    "the database is not answering: no connection within "
                        + millis(acquireNanos)
                        + " ms")));
        return;
      }
      long rest = callNanos - (System.nanoTime() - submitted);
      if (state.get() == RUNNING && !result.isDone()) {
        if (rest <= 0) {
          ranTooLong();
          return;
        }
        deadline = deadlines.schedule(this::ranTooLong, rest, TimeUnit.NANOSECONDS);
        if (result.isDone()) {
          deadline.cancel(false);
        }
      }
    }

    private void ranTooLong() {
      if (result.completeExceptionally(
          new CompletionException(
              new DatabaseBusyException(
                  "the database is not answering: no answer within "
                      + millis(callNanos)
                      + " ms")))) {
        log.warn(
            "A database call got no answer within {} ms; its thread waits on (at most the socket timeout)",
            millis(callNanos));
      }
    }
  }

  private static long millis(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // given back anyway
    }
  }
}
