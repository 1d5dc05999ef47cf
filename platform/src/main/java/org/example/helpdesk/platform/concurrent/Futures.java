package org.example.helpdesk.platform.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Small helpers for CompletionStage pipelines. */
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

  /**
   * Runs {@code attempt} until it succeeds or has failed {@code retries + 1} times, waiting an
   * exponentially growing, jittered delay between attempts.
   */
  public static <T> CompletionStage<T> retry(
      Supplier<CompletionStage<T>> attempt, int retries, Duration minBackoff, Duration maxBackoff) {
    return attempt(attempt, 0, retries, minBackoff, maxBackoff);
  }

  private static <T> CompletionStage<T> attempt(
      Supplier<CompletionStage<T>> attempt, int n, int retries, Duration min, Duration max) {
    CompletionStage<T> result;
    try {
      result = attempt.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.exceptionallyCompose(
        failure -> {
          if (n >= retries) {
            return CompletableFuture.failedFuture(unwrap(failure));
          }
          return CompletableFuture.supplyAsync(
                  () -> null,
                  CompletableFuture.delayedExecutor(
                      backoff(n, min, max).toMillis(), TimeUnit.MILLISECONDS))
              .thenCompose(ignored -> attempt(attempt, n + 1, retries, min, max));
        });
  }

  static Duration backoff(int attempt, Duration min, Duration max) {
    double exp = min.toMillis() * Math.pow(2, Math.min(attempt, 20));
    double jitter = 1 + ThreadLocalRandom.current().nextDouble(0.2);
    return Duration.ofMillis((long) Math.min(max.toMillis(), exp * jitter));
  }
}
