package org.example.helpdesk.backoffice.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.example.helpdesk.backoffice.ticket.Ticket.Assign;
import org.example.helpdesk.backoffice.ticket.Ticket.Cancel;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.Get;
import org.example.helpdesk.backoffice.ticket.Ticket.Origin;
import org.example.helpdesk.backoffice.ticket.Ticket.Prepare;
import org.example.helpdesk.backoffice.ticket.Ticket.Prepared;
import org.example.helpdesk.backoffice.ticket.Ticket.State;
import org.example.helpdesk.backoffice.ticket.Ticket.Status;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAssigned;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasCancelled;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasPrepared;
import org.example.helpdesk.backoffice.ticket.Ticket.Unprepared;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.TicketType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every rule of the Ticket, with every command, event and state serialized on the way. */
class TicketTest {

  private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.parseResources("backoffice-serialization.conf"))
              .withFallback(
                  ConfigFactory.parseString("pekko.actor.allow-java-serialization = off")));

  private final UUID ticketId = UUID.randomUUID();
  private EventSourcedBehaviorTestKit<Ticket.Command, Event, State> ticket;

  @BeforeEach
  void freshTicket() {
    ticket =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            TicketEntity.create(ticketId, Clock.fixed(NOW, ZoneOffset.UTC)),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void preparingAnUnknownTicketRecordsTicketWasPrepared() {
    var result = prepare("customer-issue", "Really important bug!");

    assertEquals(
        List.of(
            new TicketWasPrepared(
                ticketId,
                new TicketType("customer-issue"),
                new Description("Really important bug!"),
                NOW,
                Origin.CUSTOMER_SERVICE,
                null)),
        result.events());
    Prepared state = result.stateOfType(Prepared.class);
    assertEquals(Status.AWAITING, state.ticket().status());
    assertEquals(NOW, state.ticket().preparedAt());
    assertEquals(null, state.ticket().assignee());
    assertEquals(state.ticket(), result.reply().getValue());
  }

  @Test
  void preparingAnExistingTicketAgainSucceedsAndRecordsNothing() {
    prepare("customer-issue", "Really important bug!");

    var again = prepare("customer-issue", "Really important bug!");

    assertTrue(again.hasNoEvents());
    assertTrue(again.reply().isSuccess());
    assertEquals(Status.AWAITING, again.reply().getValue().status());
  }

  @Test
  void aDifferentPreparationOfAnExistingTicketIsAConflictNotAMerge() {
    prepare("internal", "set up the new printer", Origin.BACKOFFICE);

    for (var other :
        List.of(
            new Object[] {"customer-issue", "set up the new printer", Origin.BACKOFFICE},
            new Object[] {"internal", "something else", Origin.BACKOFFICE},
            new Object[] {"internal", "set up the new printer", Origin.CUSTOMER_SERVICE})) {
      var result = prepare((String) other[0], (String) other[1], (Origin) other[2]);
      assertTrue(result.hasNoEvents());
      assertRejected(ConflictException.class, result.reply());
    }
    assertEquals(
        new Description("set up the new printer"),
        ((Prepared) ticket.getState()).ticket().description());
  }

  @Test
  void theCustomerServiceCancelsOnlyWhatItPrepared() {
    prepare("internal", "an employee's ticket", Origin.BACKOFFICE);
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Assign(new Assignee("alice"), "carol", null, r));

    var fromCustomer =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.CUSTOMER_SERVICE, null, null, r));

    assertTrue(fromCustomer.hasNoEvents());
    assertRejected(ConflictException.class, fromCustomer.reply());
    assertEquals(Status.ASSIGNED, ((Prepared) ticket.getState()).ticket().status());
    var fromEmployee =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));
    assertEquals(Status.CANCELLED, fromEmployee.reply().getValue().status());
  }

  @Test
  void aTicketThatACustomersIssuePreparedIsCancelledByTheCustomerServiceAndByEmployees() {
    prepare("customer-issue", "bug", Origin.CUSTOMER_SERVICE);

    var result =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.CUSTOMER_SERVICE, null, null, r));

    assertEquals(
        List.of(new TicketWasCancelled(ticketId, NOW, Ticket.CUSTOMER_SERVICE, null)),
        result.events());
  }

  @Test
  void anEventRecordedBeforeTicketsRememberedTheirOriginGetsItFromItsType() {
    assertEquals(
        Origin.CUSTOMER_SERVICE,
        new TicketWasPrepared(
                ticketId, new TicketType("customer-issue"), new Description("d"), NOW, null, null)
            .origin());
    assertEquals(
        Origin.BACKOFFICE,
        new TicketWasPrepared(
                ticketId, new TicketType("internal"), new Description("d"), NOW, null, null)
            .origin());
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
          () -> new Prepare(new TicketType(bad[0]), new Description(bad[1]), null, null, null));
    }
    assertThrows(
        NullPointerException.class,
        () -> new Prepare(TicketType.CUSTOMER_ISSUE, null, Origin.CUSTOMER_SERVICE, null, null));
    assertInstanceOf(Unprepared.class, ticket.getState());
  }

  @Test
  void everyCommandButPrepareOnAnUnknownTicketIsRejectedAsNotFound() {
    var cancel =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));
    var assign =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Assign(new Assignee("alice"), "carol", null, r));
    var get = ticket.<StatusReply<TicketView>>runCommand(Get::new);

    for (var result : List.of(cancel, assign, get)) {
      assertTrue(result.hasNoEvents());
      assertRejected(NotFoundException.class, result.reply());
    }
  }

  @Test
  void cancellingRecordsTicketWasCancelledOnceAndThenIsIdempotent() {
    prepare("customer-issue", "bug");

    var first =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));
    var second =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));

    assertEquals(List.of(new TicketWasCancelled(ticketId, NOW, "carol", null)), first.events());
    assertEquals(Status.CANCELLED, first.stateOfType(Prepared.class).ticket().status());
    assertTrue(second.hasNoEvents());
    assertEquals(Status.CANCELLED, second.reply().getValue().status());
  }

  @Test
  void assigningRecordsTicketWasAssigned() {
    prepare("customer-issue", "bug");

    var result =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Assign(new Assignee("alice"), "carol", null, r));

    assertEquals(
        List.of(new TicketWasAssigned(ticketId, new Assignee("alice"), NOW, "carol", null)),
        result.events());
    Prepared state = result.stateOfType(Prepared.class);
    assertEquals(Status.ASSIGNED, state.ticket().status());
    assertEquals(new Assignee("alice"), state.ticket().assignee());
    assertEquals(new Assignee("alice"), result.reply().getValue().assignee());
  }

  @Test
  void assigningToTheCurrentAssigneeRecordsNothing() {
    prepare("customer-issue", "bug");
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Assign(new Assignee("alice"), "carol", null, r));

    var again =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Assign(new Assignee("alice"), "carol", null, r));

    assertTrue(again.hasNoEvents());
    assertEquals(new Assignee("alice"), again.reply().getValue().assignee());
  }

  @Test
  void assigningToAnotherEmployeeRecordsANewAssignment() {
    prepare("customer-issue", "bug");
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Assign(new Assignee("alice"), "carol", null, r));

    var result =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Assign(new Assignee("bob"), "carol", null, r));

    assertEquals(
        List.of(new TicketWasAssigned(ticketId, new Assignee("bob"), NOW, "carol", null)),
        result.events());
    assertEquals(new Assignee("bob"), result.stateOfType(Prepared.class).ticket().assignee());
  }

  @Test
  void assigningACancelledTicketIsRejectedAsAConflict() {
    prepare("customer-issue", "bug");
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));

    var result =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Assign(new Assignee("alice"), "carol", null, r));

    assertTrue(result.hasNoEvents());
    assertRejected(ConflictException.class, result.reply());
    assertEquals(
        Status.CANCELLED, ticket.getState() instanceof Prepared p ? p.ticket().status() : null);
  }

  @Test
  void cancellingAnAssignedTicketKeepsItsAssignee() {
    prepare("customer-issue", "bug");
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Assign(new Assignee("alice"), "carol", null, r));

    var result =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));

    assertEquals(Status.CANCELLED, result.reply().getValue().status());
    assertEquals(new Assignee("alice"), result.reply().getValue().assignee());
  }

  @Test
  void anAssignmentCannotBeMadeToABlankAssigneeOrNobody() {
    for (String blank : List.of("", "  ", "\t\n")) {
      assertThrows(InvalidValueException.class, () -> new Assignee(blank), blank);
    }
    assertThrows(NullPointerException.class, () -> new Assign(null, "carol", null, null));
  }

  @Test
  void anAssigneeIsComparedWithoutTheSpacesAroundIt() {
    prepare("customer-issue", "bug");
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Assign(new Assignee("alice"), "carol", null, r));

    var again =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> new Assign(new Assignee("  alice "), "carol", null, r));

    assertTrue(again.hasNoEvents());
  }

  @Test
  void getTicketAnswersWithTheTicket() {
    prepare("customer-issue", "bug");

    var result = ticket.<StatusReply<TicketView>>runCommand(Get::new);

    assertTrue(result.hasNoEvents());
    assertEquals(
        new TicketView(
            ticketId,
            TicketType.CUSTOMER_ISSUE,
            new Description("bug"),
            Status.AWAITING,
            null,
            NOW,
            NOW,
            null,
            null),
        result.reply().getValue());
  }

  @Test
  void theStateIsRebuiltFromTheEvents() {
    prepare("customer-issue", "bug");
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Assign(new Assignee("alice"), "carol", null, r));
    ticket.<StatusReply<TicketView>>runCommand(
        r -> new Cancel(Origin.BACKOFFICE, "carol", null, r));
    State before = ticket.getState();

    ticket.restart();

    assertEquals(before, ticket.getState());
  }

  @Test
  void everyTicketBelongsToOneOfTheFixedTagsAndAlwaysTheSame() {
    Set<String> tags = new HashSet<>();
    IntStream.range(0, 1000).forEach(i -> tags.add(Ticket.tagFor(UUID.randomUUID())));
    assertEquals(Set.of("ticket-0", "ticket-1", "ticket-2", "ticket-3"), tags);
    assertEquals(Ticket.tagFor(ticketId), Ticket.tagFor(UUID.fromString(ticketId.toString())));
  }

  @Test
  void rejectionsAndRepliesSurviveSerializationAcrossTheCluster() {
    var serialization = testKit.serializationTestKit();
    for (RuntimeException rejection :
        List.of(
            new NotFoundException("ticket x does not exist"),
            new ConflictException("cancelled"),
            new InvalidCommandInputException("blank"))) {
      StatusReply<?> back =
          (StatusReply<?>) serialization.verifySerialization(StatusReply.error(rejection), false);
      assertEquals(rejection.getClass(), back.getError().getClass());
      assertEquals(rejection.getMessage(), back.getError().getMessage());
    }
    TicketView view =
        new TicketView(
            ticketId,
            new TicketType("t"),
            new Description("d"),
            Status.ASSIGNED,
            new Assignee("alice"),
            NOW,
            NOW,
            "carol",
            null);
    serialization.verifySerialization(StatusReply.success(view), true);
  }

  private CommandResultWithReply<Ticket.Command, Event, State, StatusReply<TicketView>> prepare(
      String type, String description) {
    return prepare(type, description, Origin.CUSTOMER_SERVICE);
  }

  private CommandResultWithReply<Ticket.Command, Event, State, StatusReply<TicketView>> prepare(
      String type, String description, Origin origin) {
    return ticket.<StatusReply<TicketView>>runCommand(
        r -> new Prepare(new TicketType(type), new Description(description), origin, null, r));
  }

  private static void assertRejected(
      Class<? extends Throwable> expected, StatusReply<TicketView> reply) {
    assertTrue(reply.isError(), () -> "expected a rejection but got " + reply);
    assertInstanceOf(expected, reply.getError());
  }
}
