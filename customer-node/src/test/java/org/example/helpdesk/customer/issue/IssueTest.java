package org.example.helpdesk.customer.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.testkit.PersistenceTestKitDurableStateStorePlugin;
import org.apache.pekko.persistence.testkit.state.javadsl.PersistenceTestKitDurableStateStore;
import org.example.helpdesk.customer.issue.Issue.CloseIssue;
import org.example.helpdesk.customer.issue.Issue.IssueWasClosed;
import org.example.helpdesk.customer.issue.Issue.IssueWasReported;
import org.example.helpdesk.customer.issue.Issue.ReportIssue;
import org.example.helpdesk.customer.issue.Issue.Reported;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.Status;
import org.example.helpdesk.customer.issue.Issue.Summary;
import org.example.helpdesk.customer.issue.IssueEntity.Envelope;
import org.example.helpdesk.customer.issue.IssueEntity.Get;
import org.example.helpdesk.customer.issue.StoredIssue.Entry;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.TraceContext;
import org.example.helpdesk.testsupport.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Issue entity's wiring (its rules: {@link IssueRulesTest}): envelopes in, answers out, the
 * issue stored with its facts numbered in its outbox beside the trace context of their request, one
 * write per change and none otherwise, recovery, tags, and the JSON of all it stores and sends.
 */
class IssueTest {

  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private static final Email JANE = Email.of("jane@example.com");
  private static final TraceContext TRACE =
      TraceContext.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  private static final TraceContext OTHER_TRACE =
      TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.load( // (resolved: it appends to Pekko's list of Jackson modules)
              PersistenceTestKitDurableStateStorePlugin.config()
                  .withFallback(ConfigFactory.parseResources("customer-serialization.conf"))
                  .withFallback(
                      ConfigFactory.parseString("pekko.actor.allow-java-serialization = off"))));

  /** A clock the test moves forward. */
  private final MovableClock clock = new MovableClock(T0);

  private final UUID issueId = UUID.randomUUID();
  private ActorRef<IssueEntity.Message> issue;

  @BeforeEach
  void freshIssue() {
    issue = testKit.spawn(IssueEntity.create(issueId, clock));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void reportingStoresTheIssueWithItsFactAndTraceContextInTheSameWrite() {
    StatusReply<Reported> reply = report(JANE, "Really important bug!", TRACE);

    assertTrue(reply.isSuccess());
    assertTrue(reply.getValue().newlyReported());
    assertEquals(
        new Summary(
            issueId,
            JANE,
            content("Really important bug!"),
            Status.OPEN,
            T0,
            null,
            Issue.Progress.REPORTED),
        reply.getValue().issue());
    assertEquals(
        new StoredIssue(
            new ReportedIssue(
                issueId,
                JANE,
                content("Really important bug!"),
                Status.OPEN,
                T0,
                null,
                Issue.Progress.REPORTED,
                0),
            List.of(
                new Entry(
                    1,
                    new IssueWasReported(issueId, JANE, content("Really important bug!"), T0),
                    TRACE)),
            1),
        stored());
    assertEquals(1, revision());
  }

  @Test
  void aCommandThatRecordsNothingWritesNothingAndAnswersWithTheIssue() {
    report(JANE, "bug", TRACE);
    long revision = revision();

    StatusReply<Reported> again = report(JANE, "bug", OTHER_TRACE);

    assertTrue(again.isSuccess());
    assertEquals(false, again.getValue().newlyReported());
    assertEquals(revision, revision());
    assertEquals(1, stored().outbox().size(), "no second fact");
  }

  @Test
  void aRejectionIsTheAnswerAndWritesNothing() {
    report(JANE, "bug", TRACE);

    assertRejected(ConflictException.class, report(JANE, "another bug", null));
    assertEquals(1, revision());
    assertEquals(content("bug"), stored().issue().content());
  }

  @Test
  void closingStoresItsFactAfterTheReportInOneWrite() {
    report(JANE, "bug", TRACE);
    long reported = revision();
    clock.set(T0.plusSeconds(60));

    StatusReply<Summary> closed = close(OTHER_TRACE);

    assertEquals(Status.CLOSED, closed.getValue().status());
    assertEquals(T0.plusSeconds(60), closed.getValue().closedAt());
    assertEquals(reported + 1, revision(), "one write per close");
    assertEquals(
        List.of(
            new Entry(1, new IssueWasReported(issueId, JANE, content("bug"), T0), TRACE),
            new Entry(2, new IssueWasClosed(T0.plusSeconds(60)), OTHER_TRACE)),
        stored().outbox());
    assertEquals(List.of(2L), stored().entriesAfter(1).stream().map(Entry::number).toList());
    assertEquals(2, stored().lastEntryNumber());
  }

  @Test
  void closingAgainOrReportingAgainWritesNothing() {
    report(JANE, "bug", null);
    close(null);
    long revision = revision();

    StatusReply<Summary> again = close(null);

    assertEquals(Status.CLOSED, again.getValue().status());
    assertTrue(report(JANE, "bug", null).isSuccess());
    assertEquals(revision, revision());
    assertEquals(2, stored().outbox().size());
    assertEquals(TraceContext.none(), stored().outbox().get(1).trace(), "no trace context: none");
  }

  @Test
  void closingOrGettingAnUnknownIssueIsNotFound() {
    assertRejected(NotFoundException.class, close(null));
    assertRejected(NotFoundException.class, get());
    assertEquals("issue " + issueId + " does not exist", get().getError().getMessage());
    assertEquals(0, revision());
  }

  @Test
  void getAnswersWithTheIssue() {
    report(JANE, "bug", null);
    assertEquals(
        new Summary(issueId, JANE, content("bug"), Status.OPEN, T0, null, Issue.Progress.REPORTED),
        get().getValue());
  }

  @Test
  void theStateSurvivesARestartOfTheEntity() {
    report(JANE, "bug", TRACE);
    close(null);
    StoredIssue before = stored();
    testKit.stop(issue);

    issue = testKit.spawn(IssueEntity.create(issueId, clock));

    assertEquals(Status.CLOSED, get().getValue().status());
    assertTrue(close(null).isSuccess());
    assertEquals(before, stored(), "a close after the restart records nothing");
  }

  @Test
  void everyIssueBelongsToOneOfTheFixedTags() {
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      tags.add(IssueEntity.tagFor(UUID.randomUUID()));
    }
    assertEquals(Set.of("issue-0", "issue-1", "issue-2", "issue-3"), tags);
    assertEquals(List.of("issue-0", "issue-1", "issue-2", "issue-3"), IssueEntity.tags());
  }

  @Test
  void envelopesStoredIssuesAndRepliesSerializeToJsonAndBack() {
    var serialization = testKit.serializationTestKit();
    TestProbe<StatusReply<Reported>> reported = testKit.createTestProbe();
    TestProbe<StatusReply<Summary>> summary = testKit.createTestProbe();
    Summary open =
        new Summary(issueId, JANE, content("bug"), Status.OPEN, T0, null, Issue.Progress.REPORTED);
    for (Object message :
        List.of(
            new Envelope(new ReportIssue(JANE, content("bug")), TRACE, reported.getRef()),
            new Envelope(new CloseIssue(), TraceContext.none(), reported.getRef()),
            new Get(summary.getRef()),
            new IssueEntity.GetView(
                testKit.<StatusReply<IssueEntity.View>>createTestProbe().getRef()),
            new Envelope(
                new Issue.RecordTicketProgress(
                    3,
                    Issue.TicketStep.ANSWERED,
                    T0,
                    new org.example.helpdesk.protocol.SupportReply("Fixed.")),
                TRACE,
                reported.getRef()),
            StatusReply.success(
                new IssueEntity.View(
                    open,
                    List.of(
                        new Timeline.Moment(T0, "reported", null),
                        new Timeline.Moment(T0, "answered", "Fixed.")))),
            new StoredIssue(
                new ReportedIssue(
                    issueId,
                    JANE,
                    content("bug"),
                    Status.CLOSED,
                    T0,
                    T0.plusSeconds(1),
                    Issue.Progress.REPORTED,
                    0),
                List.of(
                    new Entry(1, new IssueWasReported(issueId, JANE, content("bug"), T0), TRACE),
                    new Entry(2, new IssueWasClosed(T0.plusSeconds(1)), TraceContext.none())),
                2),
            StatusReply.success(new Reported(open, true)),
            StatusReply.success(open),
            StatusReply.error(new ConflictException("different data")),
            StatusReply.error(new NotFoundException("unknown")))) {
      serialization.verifySerialization(message, true);
    }
  }

  private StatusReply<Reported> report(Email email, String content, TraceContext trace) {
    TestProbe<StatusReply<Reported>> probe = testKit.createTestProbe();
    issue.tell(new Envelope(new ReportIssue(email, content(content)), trace, probe.getRef()));
    return probe.receiveMessage();
  }

  private StatusReply<Summary> close(TraceContext trace) {
    TestProbe<StatusReply<Reported>> probe = testKit.createTestProbe();
    issue.tell(new Envelope(new CloseIssue(), trace, probe.getRef()));
    StatusReply<Reported> reply = probe.receiveMessage();
    return reply.isError()
        ? StatusReply.error(reply.getError())
        : StatusReply.success(reply.getValue().issue());
  }

  private StatusReply<Summary> get() {
    TestProbe<StatusReply<Summary>> probe = testKit.createTestProbe();
    issue.tell(new Get(probe.getRef()));
    return probe.receiveMessage();
  }

  private static IssueContent content(String text) {
    return new IssueContent(text);
  }

  private StoredIssue stored() {
    Object state =
        store().getObject("Issue|" + issueId).toCompletableFuture().join().value().orElseThrow();
    return assertInstanceOf(StoredIssue.class, state);
  }

  private long revision() {
    return store().getObject("Issue|" + issueId).toCompletableFuture().join().revision();
  }

  @SuppressWarnings("unchecked")
  private static PersistenceTestKitDurableStateStore<Object> store() {
    return DurableStateStoreRegistry.get(testKit.system())
        .getDurableStateStoreFor(
            PersistenceTestKitDurableStateStore.class,
            PersistenceTestKitDurableStateStorePlugin.PluginId());
  }

  private static <T> void assertRejected(
      Class<? extends Throwable> expected, StatusReply<T> reply) {
    assertTrue(reply.isError(), () -> "expected a rejection but got " + reply);
    assertInstanceOf(expected, reply.getError());
  }
}
