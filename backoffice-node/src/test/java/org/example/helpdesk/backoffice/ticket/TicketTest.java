package org.example.helpdesk.backoffice.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.example.helpdesk.backoffice.ticket.Ticket.Answer;
import org.example.helpdesk.backoffice.ticket.Ticket.Assign;
import org.example.helpdesk.backoffice.ticket.Ticket.Cancel;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.Get;
import org.example.helpdesk.backoffice.ticket.Ticket.Origin;
import org.example.helpdesk.backoffice.ticket.Ticket.Prepare;
import org.example.helpdesk.backoffice.ticket.Ticket.State;
import org.example.helpdesk.backoffice.ticket.Ticket.Status;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAnswered;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAssigned;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasCancelled;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasPrepared;
import org.example.helpdesk.backoffice.ticket.TicketEntity.Envelope;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.platform.http.Json;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.protocol.TraceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Ticket as an entity (the rules themselves: {@link TicketRulesTest}): envelopes in, events
 * recorded with their trace context, answers and rejections out, recovery, tags; every envelope,
 * recorded event, state and answer serialized on the way.
 */
class TicketTest {

  private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
  private static final TraceContext TRACE =
      TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.parseResources("backoffice-serialization.conf"))
              .withFallback(ConfigFactory.parseString("pekko.actor.allow-java-serialization = off"))
              // the node's serialization configuration adds to Pekko's (jackson-modules +=)
              .withFallback(ConfigFactory.defaultReference())
              .resolve());

  private final UUID ticketId = UUID.randomUUID();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theEntityRecordsWhatTheRulesDecideWithTheTraceContextAndAnswers() {
    var ticket =
        EventSourcedBehaviorTestKit.<Envelope, Recorded<Event>, State>create(
            testKit.system(),
            TicketEntity.create(ticketId, Clock.fixed(NOW, ZoneOffset.UTC)),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));

    var notFound = ticket.<StatusReply<TicketView>>runCommand(r -> send(new Get(), null, r));
    assertTrue(notFound.hasNoEvents());
    assertInstanceOf(NotFoundException.class, notFound.reply().getError());

    var prepared =
        ticket.<StatusReply<TicketView>>runCommand(
            r ->
                send(
                    new Prepare(
                        TicketType.CUSTOMER_ISSUE, new Description("bug"), Origin.BACKOFFICE),
                    TRACE,
                    r));
    assertEquals(
        List.of(
            new Recorded<>(
                new TicketWasPrepared(
                    ticketId,
                    TicketType.CUSTOMER_ISSUE,
                    new Description("bug"),
                    NOW,
                    Origin.BACKOFFICE),
                TRACE)),
        prepared.events());
    assertEquals(Status.AWAITING, prepared.reply().getValue().status());

    var assigned =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> send(new Assign(new Assignee("alice"), "carol"), null, r));
    assertEquals(
        List.of(
            new Recorded<Event>(
                new TicketWasAssigned(ticketId, new Assignee("alice"), NOW, "carol"),
                TraceContext.none())),
        assigned.events());
    assertEquals(new Assignee("alice"), assigned.reply().getValue().assignee());

    var refused =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> send(new Cancel(Origin.CUSTOMER_SERVICE, null), TRACE, r));
    assertTrue(refused.hasNoEvents());
    assertInstanceOf(ConflictException.class, refused.reply().getError());

    var cancelled =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> send(new Cancel(Origin.BACKOFFICE, "carol"), TRACE, r));
    assertEquals(
        List.of(new Recorded<Event>(new TicketWasCancelled(ticketId, NOW, "carol"), TRACE)),
        cancelled.events());
    var again =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> send(new Cancel(Origin.BACKOFFICE, "carol"), TRACE, r));
    assertTrue(again.hasNoEvents());
    assertEquals(cancelled.reply().getValue(), again.reply().getValue());

    State before = ticket.getState();
    ticket.restart();
    assertEquals(before, ticket.getState());
    var get = ticket.<StatusReply<TicketView>>runCommand(r -> send(new Get(), null, r));
    assertEquals(Status.CANCELLED, get.reply().getValue().status());
  }

  @Test
  void anAnswerIsRecordedWithItsTraceContextOnceAndSurvivesRecovery() {
    var ticket =
        EventSourcedBehaviorTestKit.<Envelope, Recorded<Event>, State>create(
            testKit.system(),
            TicketEntity.create(ticketId, Clock.fixed(NOW, ZoneOffset.UTC)),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    ticket.<StatusReply<TicketView>>runCommand(
        r ->
            send(
                new Prepare(
                    TicketType.CUSTOMER_ISSUE, new Description("bug"), Origin.CUSTOMER_SERVICE),
                null,
                r));
    SupportReply reply = new SupportReply("We are on it.\nCarol");

    var answered =
        ticket.<StatusReply<TicketView>>runCommand(r -> send(new Answer("carol", reply), TRACE, r));
    assertEquals(
        List.of(new Recorded<Event>(new TicketWasAnswered(ticketId, reply, NOW, "carol"), TRACE)),
        answered.events());
    assertEquals(Status.AWAITING, answered.reply().getValue().status());
    var again =
        ticket.<StatusReply<TicketView>>runCommand(r -> send(new Answer("carol", reply), TRACE, r));
    assertTrue(again.hasNoEvents(), "the same reply twice in a row is recorded once");

    State before = ticket.getState();
    ticket.restart();
    assertEquals(before, ticket.getState());
    assertTrue(
        ticket
            .<StatusReply<TicketView>>runCommand(r -> send(new Answer("carol", reply), null, r))
            .hasNoEvents());

    var cancelled =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> send(new Cancel(Origin.CUSTOMER_SERVICE, null), null, r));
    assertEquals(Status.CANCELLED, cancelled.reply().getValue().status());
    var refused =
        ticket.<StatusReply<TicketView>>runCommand(
            r -> send(new Answer("carol", new SupportReply("too late")), null, r));
    assertTrue(refused.hasNoEvents());
    assertInstanceOf(ConflictException.class, refused.reply().getError());
  }

  @Test
  void everyTicketBelongsToOneOfTheFixedTagsAndAlwaysTheSame() {
    Set<String> tags = new HashSet<>();
    IntStream.range(0, 1000).forEach(i -> tags.add(TicketTags.tagFor(UUID.randomUUID())));
    assertEquals(Set.of("ticket-0", "ticket-1", "ticket-2", "ticket-3"), tags);
    assertEquals(TicketTags.all(), List.copyOf(new java.util.TreeSet<>(tags)));
    assertEquals(
        TicketTags.tagFor(ticketId), TicketTags.tagFor(UUID.fromString(ticketId.toString())));
  }

  @Test
  void rejectionsAndRepliesSurviveSerializationAcrossTheCluster() throws Exception {
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
    // the status in lower case, in the API's JSON as between nodes
    assertTrue(Json.MAPPER.writeValueAsString(view).contains("\"status\":\"assigned\""));
  }

  private static Envelope send(
      Ticket.Command command,
      TraceContext trace,
      org.apache.pekko.actor.typed.ActorRef<StatusReply<TicketView>> replyTo) {
    return new Envelope(command, trace, replyTo);
  }
}
