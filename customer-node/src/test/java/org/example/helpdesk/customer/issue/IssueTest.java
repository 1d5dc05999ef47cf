package org.example.helpdesk.customer.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.testkit.PersistenceTestKitDurableStateStorePlugin;
import org.apache.pekko.persistence.testkit.state.javadsl.PersistenceTestKitDurableStateStore;
import org.example.helpdesk.customer.issue.Issue.CloseIssue;
import org.example.helpdesk.customer.issue.Issue.Fact;
import org.example.helpdesk.customer.issue.Issue.GetIssue;
import org.example.helpdesk.customer.issue.Issue.IssueWasClosed;
import org.example.helpdesk.customer.issue.Issue.IssueWasReported;
import org.example.helpdesk.customer.issue.Issue.ReportIssue;
import org.example.helpdesk.customer.issue.Issue.Reported;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.Status;
import org.example.helpdesk.customer.issue.Issue.Summary;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.testsupport.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every rule of the Issue, the facts each command records, and their serialization. */
class IssueTest {

  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private static final Email JANE = Email.of("jane@example.com");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          PersistenceTestKitDurableStateStorePlugin.config()
              .withFallback(ConfigFactory.parseResources("customer-serialization.conf"))
              .withFallback(
                  ConfigFactory.parseString("pekko.actor.allow-java-serialization = off")));

  /** A clock the test moves forward. */
  private final MovableClock clock = new MovableClock(T0);

  private final UUID issueId = UUID.randomUUID();
  private ActorRef<Issue.Command> issue;

  @BeforeEach
  void freshIssue() {
    issue = testKit.spawn(IssueEntity.create(issueId, clock));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void reportingStoresTheIssueWithTheFactThatItWasReportedInTheSameWrite() {
    StatusReply<Reported> reply = report(JANE, "Really important bug!");

    assertTrue(reply.isSuccess());
    assertTrue(reply.getValue().newlyReported());
    assertEquals(
        new Summary(issueId, JANE, content("Really important bug!"), Status.OPEN, T0, null),
        reply.getValue().issue());
    ReportedIssue stored = stored();
    assertEquals(
        List.of(new IssueWasReported(1, content("Really important bug!"), T0, null)),
        stored.outbox());
  }

  @Test
  void reportingAgainWithTheSameDataSucceedsAndWritesNothing() {
    report(JANE, "bug");
    long revision = revision();

    StatusReply<Reported> again = report(JANE, "bug");

    assertTrue(again.isSuccess());
    assertEquals(false, again.getValue().newlyReported());
    assertEquals(revision, revision());
    assertEquals(1, stored().outbox().size(), "no second fact");
  }

  @Test
  void reportingAgainWithDifferentDataIsAConflict() {
    report(JANE, "bug");

    assertRejected(ConflictException.class, report(JANE, "another bug"));
    assertRejected(ConflictException.class, report(Email.of("john@example.com"), "bug"));
    assertEquals(content("bug"), stored().content());
  }

  @Test
  void contentMustBeNonBlankShortAndFreeOfControlCharacters() {
    for (String bad : List.of("", "   ", "x".repeat(10_001), "a\u0000b", "bell\u0007")) {
      assertThrows(InvalidValueException.class, () -> content(bad), bad);
    }
    assertTrue(
        report(JANE, "x".repeat(10_000) + "").isSuccess(), "exactly 10,000 characters is fine");
  }

  @Test
  void closingRecordsTheFactThatItWasClosedInTheSameWrite() {
    report(JANE, "bug");
    clock.set(T0.plusSeconds(60));

    StatusReply<Summary> closed = close();

    assertEquals(Status.CLOSED, closed.getValue().status());
    assertEquals(T0.plusSeconds(60), closed.getValue().closedAt());
    assertEquals(
        List.of(
            new IssueWasReported(1, content("bug"), T0, null),
            new IssueWasClosed(2, T0.plusSeconds(60), null)),
        stored().outbox());
  }

  @Test
  void closingAClosedIssueSucceedsAndRecordsNothing() {
    report(JANE, "bug");
    close();
    long revision = revision();

    StatusReply<Summary> again = close();

    assertEquals(Status.CLOSED, again.getValue().status());
    assertEquals(revision, revision());
    assertEquals(2, stored().outbox().size());
  }

  @Test
  void closingOrGettingAnUnknownIssueIsNotFound() {
    assertRejected(NotFoundException.class, close());
    TestProbe<StatusReply<Summary>> probe = testKit.createTestProbe();
    issue.tell(new GetIssue(probe.getRef()));
    assertRejected(NotFoundException.class, probe.receiveMessage());
  }

  @Test
  void closingRecordsItsFactAfterTheReportInTheSameWrite() {
    report(JANE, "bug");
    long reported = revision();
    clock.set(T0.plusSeconds(5));

    close();

    assertEquals(reported + 1, revision(), "one write per close");
    assertEquals(
        List.of(
            new IssueWasReported(1, content("bug"), T0, null),
            new IssueWasClosed(2, T0.plusSeconds(5), null)),
        stored().outbox());
    assertEquals(List.of(2L), stored().factsAfter(1).stream().map(Fact::number).toList());
    assertEquals(2, stored().lastEntryNumber());
  }

  @Test
  void closingAgainOrReportingAgainWritesNothing() {
    report(JANE, "bug");
    close();
    long revision = revision();

    assertTrue(close().isSuccess());
    assertTrue(report(JANE, "bug").isSuccess());

    assertEquals(revision, revision());
    assertEquals(2, stored().outbox().size());
  }

  @Test
  void getAnswersWithTheIssue() {
    report(JANE, "bug");
    TestProbe<StatusReply<Summary>> probe = testKit.createTestProbe();
    issue.tell(new GetIssue(probe.getRef()));
    assertEquals(
        new Summary(issueId, JANE, content("bug"), Status.OPEN, T0, null),
        probe.receiveMessage().getValue());
  }

  @Test
  void theStateSurvivesARestartOfTheEntity() {
    report(JANE, "bug");
    close();
    testKit.stop(issue);

    issue = testKit.spawn(IssueEntity.create(issueId, clock));

    TestProbe<StatusReply<Summary>> probe = testKit.createTestProbe();
    issue.tell(new GetIssue(probe.getRef()));
    assertEquals(Status.CLOSED, probe.receiveMessage().getValue().status());
  }

  @Test
  void anEmailCannotHoldAnInvalidAddress() {
    for (String bad :
        List.of(
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "ja ne@example.com",
            "jane@@example.com",
            "jane@exam_ple.com",
            ".jane@example.com",
            "ja..ne@example.com",
            "a".repeat(65) + "@example.com",
            "j@" + "a".repeat(250) + ".com",
            "jane@example.com\u0000")) {
      assertThrows(InvalidCommandInputException.class, () -> Email.of(bad), bad);
    }
    assertEquals(
        "jane.doe+help@mail.example.co.uk", Email.of(" jane.doe+help@mail.example.co.uk ").value());
    assertThrows(InvalidCommandInputException.class, () -> Email.of(null));
  }

  @Test
  void everyIssueBelongsToOneOfTheFixedTags() {
    java.util.Set<String> tags = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      tags.add(Issue.tagFor(UUID.randomUUID()));
    }
    assertEquals(java.util.Set.of("issue-0", "issue-1", "issue-2", "issue-3"), tags);
  }

  @Test
  void commandsStateAndRepliesSerializeToJsonAndBack() {
    var serialization = testKit.serializationTestKit();
    TestProbe<StatusReply<Reported>> reported = testKit.createTestProbe();
    TestProbe<StatusReply<Summary>> summary = testKit.createTestProbe();
    Summary open = new Summary(issueId, JANE, content("bug"), Status.OPEN, T0, null);
    for (Object message :
        List.of(
            new ReportIssue(JANE, content("bug"), "00-trace", reported.getRef()),
            new CloseIssue(null, summary.getRef()),
            new GetIssue(summary.getRef()),
            new Issue.NoIssue(),
            new ReportedIssue(
                issueId,
                JANE,
                content("bug"),
                Status.CLOSED,
                T0,
                T0.plusSeconds(1),
                List.of(
                    new IssueWasReported(1, content("bug"), T0, "00-trace"),
                    new IssueWasClosed(2, T0.plusSeconds(1), null)),
                2),
            StatusReply.success(new Reported(open, true)),
            StatusReply.success(open),
            StatusReply.error(new ConflictException("different data")),
            StatusReply.error(new NotFoundException("unknown")))) {
      serialization.verifySerialization(message, true);
    }
  }

  private StatusReply<Reported> report(Email email, String content) {
    TestProbe<StatusReply<Reported>> probe = testKit.createTestProbe();
    issue.tell(new ReportIssue(email, content(content), null, probe.getRef()));
    return probe.receiveMessage();
  }

  private StatusReply<Summary> close() {
    TestProbe<StatusReply<Summary>> probe = testKit.createTestProbe();
    issue.tell(new CloseIssue(null, probe.getRef()));
    return probe.receiveMessage();
  }

  private static IssueContent content(String text) {
    return new IssueContent(text);
  }

  private ReportedIssue stored() {
    Object state =
        store().getObject("Issue|" + issueId).toCompletableFuture().join().value().orElseThrow();
    return assertInstanceOf(ReportedIssue.class, state);
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
