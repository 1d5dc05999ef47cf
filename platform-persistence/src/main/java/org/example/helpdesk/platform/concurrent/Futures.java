package org.example.helpdesk.platform.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorSystem;

/** What CompletionStage pipelines need beside Pekko's own utilities. */
public final class Futures {

  private Futures() {}

  /** The failure behind the wrappers that CompletableFuture puts around it. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Completes after {@code duration}, on the system's scheduler. */
  public static CompletableFuture<Void> after(ActorSystem<?> system, Duration duration) {
    // (Patterns.after never completes its CompletionStage on Pekko 1.2.1; the scheduler does)
    CompletableFuture<Void> elapsed = new CompletableFuture<>();
    system
        .scheduler()
        .scheduleOnce(duration, () -> elapsed.complete(null), system.executionContext());
    return elapsed;
  }
}
