package org.example.helpdesk.backoffice.ticket;

import static org.example.helpdesk.backoffice.ticket.TicketRules.ID;
import static org.example.helpdesk.backoffice.ticket.TicketRules.NOW;
import static org.example.helpdesk.backoffice.ticket.TicketRules.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.example.helpdesk.backoffice.ticket.Ticket.Answer;
import org.example.helpdesk.backoffice.ticket.Ticket.Assign;
import org.example.helpdesk.backoffice.ticket.Ticket.Cancel;
import org.example.helpdesk.backoffice.ticket.Ticket.Get;
import org.example.helpdesk.backoffice.ticket.Ticket.Origin;
import org.example.helpdesk.backoffice.ticket.Ticket.Prepare;
import org.example.helpdesk.backoffice.ticket.Ticket.Status;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAnswered;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAssigned;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasCancelled;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasPrepared;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;
import org.junit.jupiter.api.Test;

/** Every rule of the Ticket, on its pure functions: given past events, when a command, then. */
class TicketRulesTest {

  private static final Instant EARLIER = NOW.minusSeconds(60);
  private static final Assignee ALICE = new Assignee("alice");
  private static final SupportReply THANKS = new SupportReply("Thanks, we are on it.");

  // ---- preparing ----

  @Test
  void preparingAnUnknownTicketRecordsTicketWasPrepared() {
    TicketView ticket =
        given()
            .when(prepare("customer-issue", "Really important bug!", Origin.CUSTOMER_SERVICE))
            .then(
                new TicketWasPrepared(
                    ID,
                    new TicketType("customer-issue"),
                    new Description("Really important bug!"),
                    NOW,
                    Origin.CUSTOMER_SERVICE));

    assertEquals(Status.AWAITING, ticket.status());
    assertEquals(NOW, ticket.preparedAt());
    assertNull(ticket.assignee());
  }

  @Test
  void preparingAnExistingTicketAgainSucceedsAndRecordsNothing() {
    TicketView ticket =
        given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
            .when(prepare("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
            .thenNothing();

    assertEquals(Status.AWAITING, ticket.status());
  }

  @Test
  void aDifferentPreparationOfAnExistingTicketIsAConflictNotAMerge() {
    var ticket = given(prepared("internal", "set up the new printer", Origin.BACKOFFICE));

    ticket
        .when(prepare("customer-issue", "set up the new printer", Origin.BACKOFFICE))
        .thenRejected(ConflictException.class);
    ticket
        .when(prepare("internal", "something else", Origin.BACKOFFICE))
        .thenRejected(ConflictException.class);
    ticket
        .when(prepare("internal", "set up the new printer", Origin.CUSTOMER_SERVICE))
        .thenRejected(ConflictException.class);
  }

  @Test
  void aPrepareCannotBeMadeOfInvalidData() {
    for (var bad :
        List.of(
            new String[] {" ", "d"},
            new String[] {"t".repeat(101), "d"},
            new String[] {"t", "d".repeat(10_001)},
            new String[] {"t", null})) {
      assertThrows(
          InvalidValueException.class,
          () -> new Prepare(new TicketType(bad[0]), new Description(bad[1]), null));
    }
    assertThrows(
        NullPointerException.class,
        () -> new Prepare(TicketType.CUSTOMER_ISSUE, null, Origin.CUSTOMER_SERVICE));
  }

  // ---- a ticket that does not exist ----

  @Test
  void everyCommandButPrepareOnAnUnknownTicketIsRejectedAsNotFound() {
    given().when(new Cancel(Origin.BACKOFFICE, "carol")).thenRejected(NotFoundException.class);
    given().when(new Assign(ALICE, "carol")).thenRejected(NotFoundException.class);
    given().when(new Get()).thenRejected(NotFoundException.class);
    given().when(new Answer("carol", THANKS)).thenRejected(NotFoundException.class);
  }

  @Test
  void getTicketAnswersWithTheTicket() {
    TicketView ticket =
        given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
            .when(new Get())
            .thenNothing();

    assertEquals(
        new TicketView(
            ID,
            TicketType.CUSTOMER_ISSUE,
            new Description("bug"),
            Status.AWAITING,
            null,
            EARLIER,
            EARLIER,
            null,
            null),
        ticket);
  }

  // ---- cancelling ----

  @Test
  void cancellingRecordsTicketWasCancelledOnceAndThenIsIdempotent() {
    TicketView ticket =
        given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
            .when(new Cancel(Origin.BACKOFFICE, "carol"))
            .then(new TicketWasCancelled(ID, NOW, "carol"));
    assertEquals(Status.CANCELLED, ticket.status());

    TicketView again =
        given(
                prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
                new TicketWasCancelled(ID, EARLIER, "carol"))
            .when(new Cancel(Origin.BACKOFFICE, "carol"))
            .thenNothing();
    assertEquals(Status.CANCELLED, again.status());
  }

  @Test
  void aTicketThatACustomersIssuePreparedIsCancelledByTheCustomerServiceAndByEmployees() {
    given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
        .when(new Cancel(Origin.CUSTOMER_SERVICE, null))
        .then(new TicketWasCancelled(ID, NOW, Ticket.CUSTOMER_SERVICE));
    given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
        .when(new Cancel(Origin.BACKOFFICE, "carol"))
        .then(new TicketWasCancelled(ID, NOW, "carol"));
  }

  @Test
  void theCustomerServiceCancelsOnlyWhatItPrepared() {
    var employeesTicket =
        given(
            prepared("internal", "an employee's ticket", Origin.BACKOFFICE),
            new TicketWasAssigned(ID, ALICE, EARLIER, "carol"));

    employeesTicket
        .when(new Cancel(Origin.CUSTOMER_SERVICE, null))
        .thenRejected(ConflictException.class);
    TicketView byEmployee =
        employeesTicket
            .when(new Cancel(Origin.BACKOFFICE, "carol"))
            .then(new TicketWasCancelled(ID, NOW, "carol"));
    assertEquals(Status.CANCELLED, byEmployee.status());
  }

  @Test
  void cancellingAnAssignedTicketKeepsItsAssignee() {
    TicketView ticket =
        given(
                prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
                new TicketWasAssigned(ID, ALICE, EARLIER, "carol"))
            .when(new Cancel(Origin.BACKOFFICE, "carol"))
            .then(new TicketWasCancelled(ID, NOW, "carol"));

    assertEquals(Status.CANCELLED, ticket.status());
    assertEquals(ALICE, ticket.assignee());
  }

  // ---- assigning ----

  @Test
  void assigningRecordsTicketWasAssigned() {
    TicketView ticket =
        given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE))
            .when(new Assign(ALICE, "carol"))
            .then(new TicketWasAssigned(ID, ALICE, NOW, "carol"));

    assertEquals(Status.ASSIGNED, ticket.status());
    assertEquals(ALICE, ticket.assignee());
  }

  @Test
  void assigningToTheCurrentAssigneeRecordsNothing() {
    TicketView ticket =
        given(
                prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
                new TicketWasAssigned(ID, ALICE, EARLIER, "carol"))
            .when(new Assign(ALICE, "carol"))
            .thenNothing();

    assertEquals(ALICE, ticket.assignee());
  }

  @Test
  void anAssigneeIsComparedWithoutTheSpacesAroundIt() {
    given(
            prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
            new TicketWasAssigned(ID, ALICE, EARLIER, "carol"))
        .when(new Assign(new Assignee("  alice "), "carol"))
        .thenNothing();
  }

  @Test
  void assigningToAnotherEmployeeRecordsANewAssignment() {
    TicketView ticket =
        given(
                prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
                new TicketWasAssigned(ID, ALICE, EARLIER, "carol"))
            .when(new Assign(new Assignee("bob"), "carol"))
            .then(new TicketWasAssigned(ID, new Assignee("bob"), NOW, "carol"));

    assertEquals(new Assignee("bob"), ticket.assignee());
  }

  @Test
  void assigningACancelledTicketIsRejectedAsAConflict() {
    given(
            prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
            new TicketWasCancelled(ID, EARLIER, "carol"))
        .when(new Assign(ALICE, "carol"))
        .thenRejected(ConflictException.class);
  }

  @Test
  void anAssignmentCannotBeMadeToABlankAssigneeOrNobody() {
    for (String blank : List.of("", "  ", "\t\n")) {
      assertThrows(InvalidValueException.class, () -> new Assignee(blank), blank);
    }
    assertThrows(NullPointerException.class, () -> new Assign(null, "carol"));
  }

  // ---- answering ----

  @Test
  void answeringACustomersTicketRecordsTicketWasAnsweredAndLeavesItAsItWas() {
    var awaiting = given(prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE));
    TicketView ticket =
        awaiting
            .when(new Answer("carol", THANKS))
            .then(new TicketWasAnswered(ID, THANKS, NOW, "carol"));
    assertEquals(awaiting.when(new Get()).thenNothing(), ticket, "status, assignee, times");

    TicketView assigned =
        given(
                prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
                new TicketWasAssigned(ID, ALICE, EARLIER, "carol"))
            .when(new Answer("alice", THANKS))
            .then(new TicketWasAnswered(ID, THANKS, NOW, "alice"));
    assertEquals(Status.ASSIGNED, assigned.status());
    assertEquals(ALICE, assigned.assignee());
  }

  @Test
  void theSameReplyAgainRecordsNothingAnotherReplyIsRecorded() {
    var answered =
        given(
            prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
            new TicketWasAnswered(ID, THANKS, EARLIER, "carol"));

    answered.when(new Answer("carol", THANKS)).thenNothing();
    SupportReply fixed = new SupportReply("Fixed in 2.1.");
    answered.when(new Answer("alice", fixed)).then(new TicketWasAnswered(ID, fixed, NOW, "alice"));
    given(
            prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
            new TicketWasAnswered(ID, THANKS, EARLIER, "carol"),
            new TicketWasAnswered(ID, fixed, EARLIER, "alice"))
        .when(new Answer("carol", THANKS))
        .then(new TicketWasAnswered(ID, THANKS, NOW, "carol"));
  }

  @Test
  void anInternalTicketHasNoCustomerToAnswer() {
    ConflictException no =
        assertThrows(
            ConflictException.class,
            () ->
                Ticket.decide(
                    Ticket.evolve(
                        new Ticket.Unprepared(),
                        prepared("customer-issue", "typed by an employee", Origin.BACKOFFICE)),
                    new Answer("carol", THANKS),
                    ID,
                    NOW));
    assertEquals("ticket " + ID + " is internal: it has no customer to answer", no.getMessage());
  }

  @Test
  void aCancelledTicketCannotBeAnswered() {
    given(
            prepared("customer-issue", "bug", Origin.CUSTOMER_SERVICE),
            new TicketWasCancelled(ID, EARLIER, Ticket.CUSTOMER_SERVICE))
        .when(new Answer("carol", THANKS))
        .thenRejected(ConflictException.class);
  }

  @Test
  void aReplyFollowsTheRulesOfAReport() {
    for (String bad : java.util.Arrays.asList(null, "", "  \n", "a\u0000b", "r".repeat(10_001))) {
      InvalidValueException no =
          assertThrows(InvalidValueException.class, () -> new SupportReply(bad), () -> "" + bad);
      assertTrue(no.getMessage().startsWith("reply "), no.getMessage());
    }
    assertEquals(10_000, new SupportReply("界".repeat(10_000)).value().length());
    assertThrows(NullPointerException.class, () -> new Answer("carol", null));
  }

  // ---- helpers ----

  private static Prepare prepare(String type, String description, Origin origin) {
    return new Prepare(new TicketType(type), new Description(description), origin);
  }

  private static TicketWasPrepared prepared(String type, String description, Origin origin) {
    return new TicketWasPrepared(
        ID, new TicketType(type), new Description(description), EARLIER, origin);
  }
}
