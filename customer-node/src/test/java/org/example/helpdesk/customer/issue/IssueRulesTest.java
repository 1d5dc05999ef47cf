package org.example.helpdesk.customer.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.example.helpdesk.customer.issue.Issue.CloseIssue;
import org.example.helpdesk.customer.issue.Issue.Command;
import org.example.helpdesk.customer.issue.Issue.Fact;
import org.example.helpdesk.customer.issue.Issue.IssueWasClosed;
import org.example.helpdesk.customer.issue.Issue.IssueWasReported;
import org.example.helpdesk.customer.issue.Issue.ReportIssue;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.State;
import org.example.helpdesk.customer.issue.Issue.Status;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.IssueContent;
import org.junit.jupiter.api.Test;

/** Every rule of the Issue: what each command records, or why it is refused. */
class IssueRulesTest {

  private static final UUID ID = UUID.fromString("3f1c2a7e-9b4d-4c1e-8a2f-5d6e7f809a1b");
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

  /** When the command under test is decided. */
  private static final Instant NOW = T0.plusSeconds(60);

  private static final Email JANE = Email.of("jane@example.com");
  private static final IssueContent BUG = new IssueContent("bug");

  private static final GivenWhenThen<State, Command, Fact> RULES =
      new GivenWhenThen<>(
          new Issue.NoIssue(),
          (state, command) -> Issue.decide(state, command, ID, NOW),
          Issue::evolve);

  private static GivenWhenThen<State, Command, Fact>.When given(Fact... facts) {
    return RULES.given(facts);
  }

  private static final Fact REPORTED = new IssueWasReported(ID, JANE, BUG, T0);
  private static final Fact CLOSED = new IssueWasClosed(T0.plusSeconds(30));

  // ---- report ---------------------------------------------------------------------------------

  @Test
  void reportingRecordsThatTheIssueWasReportedAndOpensIt() {
    State after =
        given().when(new ReportIssue(JANE, BUG)).then(new IssueWasReported(ID, JANE, BUG, NOW));

    assertEquals(
        new ReportedIssue(ID, JANE, BUG, Status.OPEN, NOW, null, Issue.Progress.REPORTED, 0),
        after);
  }

  @Test
  void reportingAgainWithTheSameDataRecordsNothing() {
    given(REPORTED).when(new ReportIssue(JANE, BUG)).thenNothing();
    given(REPORTED, CLOSED).when(new ReportIssue(JANE, BUG)).thenNothing();
  }

  @Test
  void reportingAgainWithDifferentDataIsAConflict() {
    ConflictException conflict =
        given(REPORTED)
            .when(new ReportIssue(JANE, new IssueContent("another bug")))
            .thenRejected(ConflictException.class);
    assertEquals(
        "issue " + ID + " was already reported with different data", conflict.getMessage());
    given(REPORTED)
        .when(new ReportIssue(Email.of("john@example.com"), BUG))
        .thenRejected(ConflictException.class);
    given(REPORTED, CLOSED)
        .when(new ReportIssue(JANE, new IssueContent("another bug")))
        .thenRejected(ConflictException.class);
  }

  @Test
  void aReportNamesTheReporterAndTheContent() {
    assertThrows(NullPointerException.class, () -> new ReportIssue(null, BUG), "email is required");
    assertThrows(
        NullPointerException.class, () -> new ReportIssue(JANE, null), "content is required");
  }

  @Test
  void contentMustBeNonBlankShortAndFreeOfControlCharacters() {
    for (String bad : List.of("", "   ", "x".repeat(10_001), "a\u0000b", "bell\u0007")) {
      assertThrows(InvalidValueException.class, () -> new IssueContent(bad), bad);
    }
    IssueContent longest = new IssueContent("x".repeat(10_000));
    given()
        .when(new ReportIssue(JANE, longest))
        .then(new IssueWasReported(ID, JANE, longest, NOW)); // exactly 10,000 characters is fine
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

  // ---- close ----------------------------------------------------------------------------------

  @Test
  void closingRecordsThatTheIssueWasClosedAndClosesIt() {
    State after = given(REPORTED).when(new CloseIssue()).then(new IssueWasClosed(NOW));

    assertEquals(
        new ReportedIssue(ID, JANE, BUG, Status.CLOSED, T0, NOW, Issue.Progress.REPORTED, 0),
        after);
  }

  @Test
  void closingAClosedIssueRecordsNothing() {
    given(REPORTED, CLOSED).when(new CloseIssue()).thenNothing();
  }

  @Test
  void closingAnUnknownIssueIsNotFound() {
    NotFoundException notFound =
        given().when(new CloseIssue()).thenRejected(NotFoundException.class);
    assertEquals("issue " + ID + " does not exist", notFound.getMessage());
  }

  // ---- the state the facts make ---------------------------------------------------------------

  @Test
  void theFactsMakeTheIssueTheReporterSees() {
    State state = Issue.evolve(Issue.evolve(new Issue.NoIssue(), REPORTED), CLOSED);

    assertEquals(
        new Issue.Summary(
            ID, JANE, BUG, Status.CLOSED, T0, T0.plusSeconds(30), Issue.Progress.REPORTED),
        ((ReportedIssue) state).summary());
  }
}
