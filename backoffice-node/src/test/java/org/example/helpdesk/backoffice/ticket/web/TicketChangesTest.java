package org.example.helpdesk.backoffice.ticket.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.auth.Sessions;
import org.example.helpdesk.platform.changefeed.ChangeSignal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A console's live page is authorised while it is open: its stream ends with its session, and once
 * its employee is no longer on the list; a session has a bounded number of them.
 */
class TicketChangesTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private final ChangeSignal signal = new ChangeSignal();
  private final TicketChanges changes = new TicketChanges(testKit.system(), signal);
  private static final Employee ADAM = new Employee("adam", Employee.Role.AGENT);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Access.SignedIn session(String nonce, Duration left) {
    return new Access.SignedIn(
        ADAM, new Sessions.Session("adam", Instant.now().plus(left), nonce), "csrf");
  }

  @Test
  void theStreamEndsWhenItsSessionExpires() {
    CompletionStage<Done> done =
        changes
            .forSession(session("n1", Duration.ofSeconds(1)), name -> Optional.of(ADAM))
            .orElseThrow()
            .runWith(Sink.ignore(), testKit.system());
    await().atMost(Duration.ofSeconds(10)).until(() -> done.toCompletableFuture().isDone());
  }

  @Test
  void theStreamEndsOnceItsEmployeeIsRemoved() {
    AtomicBoolean listed = new AtomicBoolean(true);
    CompletionStage<Done> done =
        changes
            .forSession(
                session("n2", Duration.ofHours(8)),
                name -> listed.get() ? Optional.of(ADAM) : Optional.empty())
            .orElseThrow()
            .runWith(Sink.ignore(), testKit.system());
    signal.raise();
    listed.set(false);
    // the next event finds the employee gone
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              signal.raise();
              return done.toCompletableFuture().isDone();
            });
  }

  @Test
  void aSessionHasABoundedNumberOfStreams() {
    Access.SignedIn who = session("n3", Duration.ofHours(8));
    var killSwitches = new java.util.ArrayList<org.apache.pekko.stream.UniqueKillSwitch>();
    for (int i = 0; i < TicketChanges.MAX_STREAMS_PER_SESSION; i++) {
      killSwitches.add(
          changes
              .forSession(who, name -> Optional.of(ADAM))
              .orElseThrow()
              .viaMat(
                  org.apache.pekko.stream.KillSwitches.single(),
                  org.apache.pekko.stream.javadsl.Keep.right())
              .to(Sink.ignore())
              .run(testKit.system()));
    }
    assertFalse(changes.forSession(who, name -> Optional.of(ADAM)).isPresent(), "one too many");
    assertTrue(
        changes
            .forSession(session("other", Duration.ofHours(8)), n -> Optional.of(ADAM))
            .isPresent(),
        "another session has its own");
    killSwitches.remove(0).shutdown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              var again = changes.forSession(who, name -> Optional.of(ADAM));
              again.ifPresent(
                  s ->
                      killSwitches.add(
                          s.viaMat(
                                  org.apache.pekko.stream.KillSwitches.single(),
                                  org.apache.pekko.stream.javadsl.Keep.right())
                              .to(Sink.ignore())
                              .run(testKit.system())));
              return again.isPresent();
            });
    killSwitches.forEach(org.apache.pekko.stream.UniqueKillSwitch::shutdown);
  }
}
