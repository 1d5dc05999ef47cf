package org.example.helpdesk.backoffice.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How long a command waits, and when its failures are its own fault. */
class PatientRetryTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static PatientRetry retry(int attempts) {
    return new PatientRetry(
        testKit.system(),
        new AskTimeouts(Duration.ofMillis(10), Duration.ofMillis(80)),
        attempts,
        Duration.ofMillis(1),
        Duration.ofMillis(2));
  }

  @Test
  void eachTryWaitsTwiceAsLongUpToTheCeilingAndAtLeastFourTimesTheRecentAnswerTime() {
    AskTimeouts timeouts = new AskTimeouts(Duration.ofMillis(10), Duration.ofMillis(80));
    assertEquals(
        List.of(10L, 20L, 40L, 80L, 80L),
        List.of(1, 2, 3, 4, 5).stream().map(n -> timeouts.forTry(n).toMillis()).toList());
    for (int i = 0; i < 200; i++) {
      timeouts.answeredIn(Duration.ofMillis(15).toNanos());
    }
    assertEquals(60, timeouts.forTry(1).toMillis(), "4 x 15 ms");
  }

  @Test
  void aTicketThatAnswersNobodyIsSlowNotBrokenAndGetsItsFullTries() {
    PatientRetry retry = retry(3);
    List<Duration> waits = new CopyOnWriteArrayList<>();
    Throwable failure =
        failureOf(
            retry.run(
                wait -> {
                  waits.add(wait);
                  return CompletableFuture.failedFuture(new TimeoutException("no answer"));
                },
                wait -> CompletableFuture.completedFuture(false)));
    PatientRetry.GaveUp gaveUp = assertInstanceOf(PatientRetry.GaveUp.class, failure);
    assertEquals(0, gaveUp.overtaken, "no try was its own fault");
    assertEquals(9, gaveUp.tries, "3 x attempts in all, then an outage");
    assertEquals(Duration.ofMillis(80), waits.get(waits.size() - 1));
  }

  @Test
  void aTicketThatFailsWhileItsNeighboursAnswerIsBroken() {
    PatientRetry retry = retry(3);
    AtomicInteger tries = new AtomicInteger();
    Throwable failure =
        failureOf(
            retry.run(
                wait -> {
                  tries.incrementAndGet();
                  return CompletableFuture.failedFuture(new TimeoutException("no answer"));
                },
                wait -> CompletableFuture.completedFuture(true)));
    PatientRetry.GaveUp gaveUp = assertInstanceOf(PatientRetry.GaveUp.class, failure);
    assertEquals(3, gaveUp.overtaken);
    assertEquals(3, tries.get());
  }

  @Test
  void aTryOvertakenByOneSentAfterItCountsAgainstIt() throws Exception {
    PatientRetry retry = retry(2);
    CompletableFuture<String> first = new CompletableFuture<>();
    AtomicInteger firstTries = new AtomicInteger();
    CompletableFuture<String> stuck =
        retry
            .run(
                wait -> {
                  firstTries.incrementAndGet();
                  // fails after a later command was answered
                  return first.thenCompose(
                      x -> CompletableFuture.<String>failedFuture(new TimeoutException("late")));
                },
                wait -> CompletableFuture.completedFuture(false))
            .toCompletableFuture();
    retry.run(wait -> CompletableFuture.completedFuture("other"), wait -> null);
    first.complete("go");
    // its second try has nothing sent after it answered, and no canary: slowness, tried again
    Throwable failure = failureOf(stuck);
    PatientRetry.GaveUp gaveUp = assertInstanceOf(PatientRetry.GaveUp.class, failure);
    assertEquals(1, gaveUp.overtaken, "only the overtaken try was its own fault");
    assertTrue(firstTries.get() > 2);
  }

  @Test
  void anAnswerEndsIt() {
    PatientRetry retry = retry(3);
    AtomicInteger tries = new AtomicInteger();
    String answer =
        retry
            .run(
                wait ->
                    tries.incrementAndGet() < 3
                        ? CompletableFuture.failedFuture(new TimeoutException("slow"))
                        : CompletableFuture.completedFuture("done"),
                wait -> CompletableFuture.completedFuture(false))
            .toCompletableFuture()
            .join();
    assertEquals("done", answer);
  }

  private static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
