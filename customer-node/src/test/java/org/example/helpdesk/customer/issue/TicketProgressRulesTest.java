package org.example.helpdesk.customer.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.UUID;
import org.example.helpdesk.customer.issue.Issue.Command;
import org.example.helpdesk.customer.issue.Issue.Fact;
import org.example.helpdesk.customer.issue.Issue.IssueWasClosed;
import org.example.helpdesk.customer.issue.Issue.IssueWasReported;
import org.example.helpdesk.customer.issue.Issue.Notification;
import org.example.helpdesk.customer.issue.Issue.NotificationWasQueued;
import org.example.helpdesk.customer.issue.Issue.Progress;
import org.example.helpdesk.customer.issue.Issue.RecordTicketProgress;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.State;
import org.example.helpdesk.customer.issue.Issue.Status;
import org.example.helpdesk.customer.issue.Issue.TicketProgressed;
import org.example.helpdesk.customer.issue.Issue.TicketStep;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.SupportReply;
import org.junit.jupiter.api.Test;

/** The customer hears back: what each step of the issue's ticket records, and what it mails. */
class TicketProgressRulesTest {

  private static final UUID ID = UUID.fromString("3f1c2a7e-9b4d-4c1e-8a2f-5d6e7f809a1b");
  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final Instant NOW = T0.plusSeconds(600);
  private static final Email JANE = Email.of("jane@example.com");
  private static final SupportReply TONER = new SupportReply("We replaced the toner.");

  private static final GivenWhenThen<State, Command, Fact> RULES =
      new GivenWhenThen<>(
          new Issue.NoIssue(),
          (state, command) -> Issue.decide(state, command, ID, NOW),
          Issue::evolve);

  private static final Fact REPORTED =
      new IssueWasReported(ID, JANE, new IssueContent("Printer on fire"), T0);
  private static final Fact CLOSED_BY_CUSTOMER = new IssueWasClosed(T0.plusSeconds(1));

  private static RecordTicketProgress step(long sequence, TicketStep step) {
    return new RecordTicketProgress(
        sequence, step, T0.plusSeconds(sequence), step == TicketStep.ANSWERED ? TONER : null);
  }

  private static Fact progressed(long sequence, TicketStep step) {
    RecordTicketProgress p = step(sequence, step);
    return new TicketProgressed(sequence, step, p.at(), p.reply());
  }

  private static ReportedIssue issue(State state) {
    return (ReportedIssue) state;
  }

  @Test
  void aPreparedTicketMeansTheIssueWasReceivedAndMailsNobody() {
    State after =
        RULES
            .given(REPORTED)
            .when(step(1, TicketStep.PREPARED))
            .then(progressed(1, TicketStep.PREPARED));
    assertEquals(Progress.RECEIVED, issue(after).progress());
    assertEquals(1, issue(after).lastTicketSequence());
  }

  @Test
  void theFirstAssignmentIsMailed() {
    State after =
        RULES
            .given(REPORTED, progressed(1, TicketStep.PREPARED))
            .when(step(2, TicketStep.ASSIGNED))
            .then(
                progressed(2, TicketStep.ASSIGNED),
                new NotificationWasQueued(Notification.AGENT_ASSIGNED, null, NOW));
    assertEquals(Progress.ASSIGNED, issue(after).progress());
  }

  @Test
  void aReassignmentIsRecordedButNotMailedAgain() {
    RULES
        .given(REPORTED, progressed(1, TicketStep.PREPARED), progressed(2, TicketStep.ASSIGNED))
        .when(step(3, TicketStep.ASSIGNED))
        .then(progressed(3, TicketStep.ASSIGNED));
  }

  @Test
  void aReplyIsRecordedAndMailedWithItsText() {
    RULES
        .given(REPORTED, progressed(2, TicketStep.ASSIGNED))
        .when(step(4, TicketStep.ANSWERED))
        .then(
            progressed(4, TicketStep.ANSWERED),
            new NotificationWasQueued(Notification.SUPPORT_REPLIED, TONER, NOW));
  }

  @Test
  void supportsCloseClosesTheIssueAndIsMailed() {
    State after =
        RULES
            .given(REPORTED, progressed(2, TicketStep.ASSIGNED))
            .when(step(5, TicketStep.CANCELLED))
            .then(
                progressed(5, TicketStep.CANCELLED),
                new NotificationWasQueued(Notification.CLOSED_BY_SUPPORT, null, NOW));
    assertEquals(Status.CLOSED, issue(after).status());
    assertEquals(Progress.CLOSED_BY_SUPPORT, issue(after).progress());
    assertEquals(T0.plusSeconds(5), issue(after).closedAt());
  }

  @Test
  void theCustomersOwnCloseIsNeverMailed() {
    RULES.given(REPORTED).when(new Issue.CloseIssue()).then(new IssueWasClosed(NOW));
  }

  @Test
  void whatHappensAfterTheCustomerClosedIsRecordedButNotMailed() {
    State after =
        RULES
            .given(REPORTED, CLOSED_BY_CUSTOMER)
            .when(step(2, TicketStep.ASSIGNED))
            .then(progressed(2, TicketStep.ASSIGNED));
    RULES
        .given(REPORTED, CLOSED_BY_CUSTOMER)
        .when(step(2, TicketStep.CANCELLED))
        .then(progressed(2, TicketStep.CANCELLED));
    assertEquals(Status.CLOSED, issue(after).status());
    assertEquals(T0.plusSeconds(1), issue(after).closedAt());
  }

  @Test
  void aStepHeardBeforeChangesNothing() {
    RULES
        .given(REPORTED, progressed(1, TicketStep.PREPARED), progressed(2, TicketStep.ASSIGNED))
        .when(step(2, TicketStep.ASSIGNED))
        .thenNothing();
    RULES
        .given(REPORTED, progressed(3, TicketStep.ASSIGNED))
        .when(step(1, TicketStep.PREPARED))
        .thenNothing();
  }

  @Test
  void progressNeverGoesBack() {
    State after =
        RULES
            .given(REPORTED, progressed(2, TicketStep.ASSIGNED))
            .when(step(3, TicketStep.PREPARED))
            .then(progressed(3, TicketStep.PREPARED));
    assertEquals(Progress.ASSIGNED, issue(after).progress());
  }

  @Test
  void aStepForAnIssueNobodyReportedIsRefused() {
    RULES.given().when(step(1, TicketStep.PREPARED)).thenRejected(NotFoundException.class);
  }

  @Test
  void aReplyComesWithAnAnswerOnly() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordTicketProgress(1, TicketStep.ANSWERED, T0, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordTicketProgress(1, TicketStep.ASSIGNED, T0, TONER));
  }

  @Test
  void theTimelineTellsWhatHappenedOldestFirstWithoutTheMails() {
    assertEquals(
        java.util.List.of(
            new Timeline.Moment(T0, "reported", null),
            new Timeline.Moment(T0.plusSeconds(1), "received", null),
            new Timeline.Moment(T0.plusSeconds(2), "assigned", null),
            new Timeline.Moment(T0.plusSeconds(4), "answered", TONER.value()),
            new Timeline.Moment(T0.plusSeconds(5), "closed-by-support", null)),
        Timeline.of(
            java.util.List.of(
                REPORTED,
                progressed(1, TicketStep.PREPARED),
                progressed(2, TicketStep.ASSIGNED),
                new NotificationWasQueued(Notification.AGENT_ASSIGNED, null, NOW),
                progressed(4, TicketStep.ANSWERED),
                progressed(5, TicketStep.CANCELLED))));
    assertEquals(
        "closed", Timeline.of(java.util.List.of(REPORTED, CLOSED_BY_CUSTOMER)).get(1).what());
  }
}
