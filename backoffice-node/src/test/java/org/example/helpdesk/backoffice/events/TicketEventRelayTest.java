package org.example.helpdesk.backoffice.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketTags;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.PrometheusText;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Ticket journal as the backoffice's outbox, against the real PostgreSQL and RabbitMQ: a node
 * whose broker connections go through a proxy that a test can cut.
 */
class TicketEventRelayTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static final TcpProxy proxy = proxy();
  private static final BackofficeTestNode node = startNode();

  /** Every message taken off the customer service's queue so far, per ticket, in queue order. */
  private static final Map<UUID, List<Received>> received = new ConcurrentHashMap<>();

  /** A message as the customer service would receive it. */
  record Received(
      String type,
      String messageId,
      String correlationId,
      String contentType,
      Integer deliveryMode,
      Instant timestamp,
      Object traceparent,
      byte[] body) {

    DistributedEvent event() throws Exception {
      return DistributedEvents.fromJson(type, body);
    }
  }

  private static TcpProxy proxy() {
    URI broker = URI.create(TestBroker.amqpUri());
    return new TcpProxy(broker.getHost(), broker.getPort());
  }

  private static BackofficeTestNode startNode() {
    // nothing left from an earlier run: the node declares both again at start
    TestBroker.deleteQueuesAndExchanges(
        List.of(DistributedEvents.CUSTOMER_QUEUE), List.of(DistributedEvents.EVENTS_EXCHANGE));
    String viaProxy =
        TestBroker.amqpUri().replaceFirst("@[^/]+/", "@127.0.0.1:" + proxy.port() + "/");
    return new BackofficeTestNode(
        ConfigFactory.parseMap(
            Map.of(
                "helpdesk.amqp.uri",
                viaProxy,
                "helpdesk.ticket-events.publisher.confirm-timeout",
                "5s")));
  }

  @AfterAll
  static void stop() {
    node.close();
    proxy.close();
  }

  @Test
  void aCustomersTicketTellsItsPreparationAssignmentAndAnEmployeesCancelInOrder() throws Exception {
    UUID id = UUID.randomUUID();
    prepareForCustomer(id, TRACEPARENT);
    node.awaitStatus(id, "awaiting");
    assign(id, "alice");
    cancelAsEmployee(id);

    List<Received> messages = awaitMessages(id, 3);
    awaitRelayed();
    messages = drained(id);

    assertEquals(
        List.of(
            DistributedEvents.TICKET_WAS_PREPARED,
            DistributedEvents.TICKET_WAS_ASSIGNED,
            DistributedEvents.TICKET_WAS_CANCELLED),
        messages.stream().map(Received::type).toList(),
        "exactly these, in order");
    JsonNode ticket = node.http.get("/tickets/" + id).json();
    for (int i = 0; i < messages.size(); i++) {
      Received m = messages.get(i);
      DistributedEvent event = m.event();
      assertEquals(id, event.ticketId());
      assertEquals(i + 1, event.sequence(), "the event's number in the ticket's journal");
      assertEquals(id + ":" + (i + 1), m.messageId());
      assertEquals(id.toString(), m.correlationId());
      assertEquals("application/json", m.contentType());
      assertEquals(2, m.deliveryMode());
      assertEquals(event.occurredAt().getEpochSecond(), m.timestamp().getEpochSecond());
      assertArrayEquals(DistributedEvents.toJson(event), m.body(), "byte for byte");
    }
    // (the read table keeps microseconds, rounded)
    assertSameMicrosecond(
        Instant.parse(ticket.path("preparedAt").asText()), messages.get(0).event().occurredAt());
    assertSameMicrosecond(
        Instant.parse(ticket.path("updatedAt").asText()), messages.get(2).event().occurredAt());
    assertEquals(
        "{\"ticketId\":\""
            + id
            + "\",\"sequence\":1,\"occurredAt\":\""
            + messages.get(0).event().occurredAt()
            + "\"}",
        new String(messages.get(0).body(), UTF_8));
    assertEquals(TRACEPARENT, messages.get(0).traceparent(), "the cause's trace context");
  }

  @Test
  void anInternalTicketAndTheCustomersOwnCloseTellNothing() {
    HttpTestClient.Response created =
        node.http.postJson("/tickets", "{\"ticketType\":\"internal\",\"description\":\"inside\"}");
    assertEquals(201, created.status(), created::toString);
    UUID internal = UUID.fromString(created.json().path("ticketId").asText());
    assign(internal, "alice");
    cancelAsEmployee(internal);
    UUID closed = UUID.randomUUID();
    prepareForCustomer(closed, null);
    node.awaitStatus(closed, "awaiting");
    BackofficeTestNode.publish(new CancelTicket(closed), closed + ":2");
    node.awaitStatus(closed, "cancelled");
    node.awaitStatus(internal, "cancelled");

    awaitRelayed();

    assertEquals(List.of(), drained(internal));
    assertEquals(
        List.of(DistributedEvents.TICKET_WAS_PREPARED),
        drained(closed).stream().map(Received::type).toList());
  }

  @Test
  void whileTheBrokerIsUnreachableNothingIsLostAndAllIsPublishedWhenItIsBack() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      UUID id = UUID.randomUUID();
      prepareForCustomer(id, null);
      ids.add(id);
    }
    ids.forEach(id -> node.awaitStatus(id, "awaiting"));
    ids.forEach(id -> awaitMessages(id, 1));
    awaitRelayed();

    proxy.cut();
    try {
      for (int i = 0; i < ids.size(); i++) {
        assign(ids.get(i), "alice");
        if (i % 2 == 0) {
          cancelAsEmployee(ids.get(i));
        }
      }
      // nothing could be confirmed, so no offset may move past it
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(() -> relayLag() == ids.size() + ids.size() / 2);
      ids.forEach(id -> assertEquals(1, drained(id).size(), "nothing more while cut"));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> metric("helpdesk_ticket_events_relay_lag_events") == 9);
      assertTrue(metric("helpdesk_ticket_events_relay_lag_seconds") > 0);
    } finally {
      proxy.restore();
    }

    for (int i = 0; i < ids.size(); i++) {
      awaitMessages(ids.get(i), i % 2 == 0 ? 3 : 2);
    }
    awaitRelayed();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> metric("helpdesk_ticket_events_relay_lag_events") == 0);
    assertTrue(metric("helpdesk_ticket_events_published_total") >= 6 + 9);
    for (int i = 0; i < ids.size(); i++) {
      // at least once: a unit in flight when the connection dropped may come twice, in order
      List<String> distinct =
          drained(ids.get(i)).stream().map(Received::messageId).distinct().toList();
      UUID id = ids.get(i);
      assertEquals(
          i % 2 == 0 ? List.of(id + ":1", id + ":2", id + ":3") : List.of(id + ":1", id + ":2"),
          distinct);
    }
  }

  /** As after a crash between the broker's confirm and the offset's store. */
  @Test
  void publishingAgainFromAnOlderOffsetRepeatsTheSameMessages() {
    UUID id = UUID.randomUUID();
    prepareForCustomer(id, null);
    node.awaitStatus(id, "awaiting");
    assign(id, "bob");
    List<Received> first = awaitMessages(id, 2);
    awaitRelayed();

    String tag = TicketTags.tagFor(id);
    admin("pause", null);
    HttpTestClient.Response moved =
        node.http.postJson(
            "/admin/projections/" + TicketEventRelay.NAME + "/offset",
            "{\"key\":\"" + tag + "\",\"offset\":\"0:0\"}");
    assertEquals(200, moved.status(), moved::toString);
    admin("resume", null);

    List<Received> again = awaitMessages(id, 4);
    awaitRelayed();
    assertEquals(4, drained(id).size());
    for (int i = 0; i < 2; i++) {
      assertEquals(first.get(i).messageId(), again.get(i + 2).messageId());
      assertEquals(first.get(i).type(), again.get(i + 2).type());
      assertArrayEquals(first.get(i).body(), again.get(i + 2).body());
    }
  }

  /** After a restart, or once forgotten, a ticket's origin is read from its first event. */
  @Test
  void aTicketsOriginIsReadFromItsFirstEventInTheJournal() {
    UUID fromCustomer = UUID.randomUUID();
    prepareForCustomer(fromCustomer, null);
    node.awaitStatus(fromCustomer, "awaiting");
    assign(fromCustomer, "alice");
    HttpTestClient.Response created =
        node.http.postJson("/tickets", "{\"ticketType\":\"internal\",\"description\":\"x\"}");
    UUID internal = UUID.fromString(created.json().path("ticketId").asText());
    node.awaitStatus(internal, "awaiting");

    TicketOrigins fresh =
        new TicketOrigins(node.node.node().system(), node.node.node().database(), 1);
    Map<UUID, Ticket.Origin> origins =
        fresh.of(List.of(fromCustomer, internal, UUID.randomUUID())).toCompletableFuture().join();

    assertEquals(
        Map.of(fromCustomer, Ticket.Origin.CUSTOMER_SERVICE, internal, Ticket.Origin.BACKOFFICE),
        origins,
        "an unknown ticket is left out");
    assertEquals(
        Map.of(internal, Ticket.Origin.BACKOFFICE),
        fresh.of(List.of(internal)).toCompletableFuture().join(),
        "(kept, bounded)");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static void prepareForCustomer(UUID id, String traceparent) {
    OutboundMessage m =
        CommandMessage.toBackoffice(
            new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("from " + id)),
            id + ":1",
            id.toString(),
            Instant.now(),
            traceparent == null ? null : Map.of("traceparent", traceparent));
    TestBroker.publish(
        BackofficeTestNode::declareInbox, m.exchange(), m.routingKey(), m.properties(), m.body());
  }

  private static void assign(UUID id, String assignee) {
    HttpTestClient.Response r =
        node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"" + assignee + "\"}");
    assertEquals(200, r.status(), r::toString);
  }

  private static void cancelAsEmployee(UUID id) {
    HttpTestClient.Response r = node.http.post("/tickets/" + id + "/cancel", null, new byte[0]);
    assertEquals(200, r.status(), r::toString);
  }

  private static void admin(String action, String body) {
    HttpTestClient.Response r =
        node.http.post(
            "/admin/projections/" + TicketEventRelay.NAME + "/" + action,
            null,
            body == null ? new byte[0] : body.getBytes(UTF_8));
    assertEquals(200, r.status(), r::toString);
  }

  /** Events of all tags the relay has not published yet (its offset is behind them). */
  private static long relayLag() {
    HttpTestClient.Response list = node.http.get("/admin/projections");
    assertEquals(200, list.status(), list::toString);
    for (JsonNode p : list.json().path("projections")) {
      if (p.path("name").asText().equals(TicketEventRelay.NAME)) {
        long lag = 0;
        for (JsonNode i : p.path("instances")) {
          lag += i.path("lagEvents").asLong();
        }
        return lag;
      }
    }
    throw new AssertionError("no " + TicketEventRelay.NAME + " in " + list);
  }

  /** Until the relay stored its offset after every event: all it publishes is confirmed. */
  private static void awaitRelayed() {
    await().atMost(Duration.ofSeconds(30)).until(() -> relayLag() == 0);
  }

  private static List<Received> awaitMessages(UUID id, int atLeast) {
    await().atMost(Duration.ofSeconds(30)).until(() -> drained(id).size() >= atLeast);
    return drained(id);
  }

  /** Takes what the queue holds now, and answers every message of this ticket so far. */
  private static synchronized List<Received> drained(UUID id) {
    TestBroker.takeAll(
        DistributedEvents.CUSTOMER_QUEUE,
        r -> {
          var p = r.getProps();
          Object traceparent = p.getHeaders() == null ? null : p.getHeaders().get("traceparent");
          received
              .computeIfAbsent(UUID.fromString(p.getCorrelationId()), k -> new ArrayList<>())
              .add(
                  new Received(
                      p.getType(),
                      p.getMessageId(),
                      p.getCorrelationId(),
                      p.getContentType(),
                      p.getDeliveryMode(),
                      p.getTimestamp().toInstant(),
                      traceparent == null ? null : traceparent.toString(),
                      r.getBody()));
        });
    return List.copyOf(received.getOrDefault(id, List.of()));
  }

  /** A metric of the node, summed over its series. */
  private static double metric(String name) {
    return PrometheusText.sum(node.http.get("/metrics").body(), name);
  }

  private static void assertSameMicrosecond(Instant expected, Instant actual) {
    assertTrue(
        Duration.between(expected, actual).abs().toNanos() < 1_000,
        () -> expected + " and " + actual);
  }
}
