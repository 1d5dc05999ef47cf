package org.example.helpdesk.backoffice.inbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.example.helpdesk.platform.concurrent.Futures;

/**
 * Tries a command until its ticket answers, telling a slow ticket from a broken one.
 *
 * <p>A try that fails counts against the command only if a try sent <em>after</em> it, by another
 * command of the partition, was answered meanwhile: the tickets overtook it, so the fault is this
 * command's. A try that fails while nothing sent later was answered is slowness (everything waits
 * alike): it is tried again, at no cost, and waiting twice as long ({@link AskTimeouts}); after an
 * overtaken one the wait stays. The command is given up when {@code attempts} tries were overtaken
 * (its own fault), or after {@code maxTries} in all (nothing answers: an outage, or a stall the
 * caller gives back to the broker).
 */
final class PatientRetry {

  /** The command was given up: {@code overtaken} of its {@code tries} were its own fault. */
  static final class GaveUp extends RuntimeException {
    final int tries;
    final int overtaken;

    GaveUp(Throwable last, int tries, int overtaken) {
      super(last.getMessage(), last);
      this.tries = tries;
      this.overtaken = overtaken;
    }
  }

  private static final double JITTER = 0.2;

  private final ActorSystem<?> system;
  private final AskTimeouts timeouts;
  private final int attempts;
  private final int maxTries;
  private final Duration minBackoff;
  private final Duration maxBackoff;

  /** Tries sent so far, in order; the latest of them that was answered. */
  private final AtomicLong sent = new AtomicLong();

  private final AtomicLong answeredUpTo = new AtomicLong();

  PatientRetry(
      ActorSystem<?> system,
      AskTimeouts timeouts,
      int attempts,
      Duration minBackoff,
      Duration maxBackoff) {
    this.system = system;
    this.timeouts = timeouts;
    this.attempts = attempts;
    this.maxTries = 3 * attempts;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
  }

  int attempts() {
    return attempts;
  }

  /**
   * @param once one try, given how long it may wait; completes when the ticket answered
   */
  <T> CompletionStage<T> run(
      Function<Duration, CompletionStage<T>> once,
      Function<Duration, CompletionStage<Boolean>> canary) {
    return attempt(once, canary, 1, 0);
  }

  private <T> CompletionStage<T> attempt(
      Function<Duration, CompletionStage<T>> once,
      Function<Duration, CompletionStage<Boolean>> canary,
      int tryNumber,
      int overtaken) {
    long seq = sent.incrementAndGet();
    long start = System.nanoTime();
    Duration wait = timeouts.forTry(tryNumber);
    return once.apply(wait)
        .thenApply(
            answer -> {
              answeredUpTo.accumulateAndGet(seq, Math::max);
              timeouts.answeredIn(System.nanoTime() - start);
              return answer;
            })
        .exceptionallyCompose(
            failure ->
                othersAnswered(seq, canary, wait)
                    .thenCompose(
                        answered -> {
                          int own = overtaken + (answered ? 1 : 0);
                          if (own >= attempts || tryNumber >= maxTries) {
                            return CompletableFuture.failedFuture(
                                new GaveUp(failure, tryNumber, own));
                          }
                          return delay(backoff(tryNumber))
                              .thenCompose(ignored -> attempt(once, canary, tryNumber + 1, own));
                        }));
  }

  private CompletionStage<Boolean> othersAnswered(
      long seq, Function<Duration, CompletionStage<Boolean>> canary, Duration wait) {
    if (answeredUpTo.get() > seq) {
      return CompletableFuture.completedFuture(true);
    }
    return canary.apply(wait).exceptionally(e -> false);
  }

  private Duration backoff(int tryNumber) {
    double exponential = minBackoff.toNanos() * Math.pow(2, tryNumber - 1);
    double capped = Math.min(exponential, maxBackoff.toNanos());
    return Duration.ofNanos(
        (long) (capped * (1 + JITTER * ThreadLocalRandom.current().nextDouble())));
  }

  private CompletionStage<Void> delay(Duration duration) {
    return Futures.after(system, duration);
  }
}
