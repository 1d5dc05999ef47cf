package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.DistributedCommands;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace per customer command across both services, recorded by the SDK's in-memory exporter
 * that both nodes (one JVM) share: the customer's request, the Issue write, the outbox entry's wait
 * and publish, the inbox's consume, the Ticket's persist and the read-model update.
 */
class TracingTest {

  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static OpenTelemetrySdk sdk;
  private static TwoServices services;

  @BeforeAll
  static void start() {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    Tracing.install(sdk);
    services = new TwoServices();
  }

  @AfterAll
  static void stop() {
    try {
      services.close();
    } finally {
      Tracing.install(null);
      sdk.close();
    }
  }

  @Test
  void theSeedScenarioIsOneTraceFromTheCustomersRequestToTheReadModelRow() throws Exception {
    String callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<String> reported =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + services.customerNode.node().httpAddress().getPort()
                                + "/issues"))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + callerTrace + "-00f067aa0ba902b7-01")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"johny@example.com\",\"content\":\"Really important bug!\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(201, reported.statusCode(), reported.body());
    String id = reported.body().replaceAll(".*\"issueId\":\"([^\"]+)\".*", "$1");
    awaitReadModelRow(id);

    List<SpanData> trace = awaitTrace(callerTrace, "tickets read-model update");
    SpanData http = one(trace, "HTTP POST /issues");
    SpanData issue = one(trace, "Issue report");
    SpanData wait = one(trace, "outbox wait");
    SpanData publish = one(trace, "outbox publish");
    SpanData consume = one(trace, "inbox consume");
    SpanData ticket = one(trace, "Ticket prepare");
    SpanData readModel = one(trace, "tickets read-model update");

    // the caller's context is continued, and each step is a child of the one before
    assertEquals("00f067aa0ba902b7", http.getParentSpanId());
    assertEquals(SpanKind.SERVER, http.getKind());
    assertEquals(201L, http.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals("POST", http.getAttributes().get(AttributeKey.stringKey("http.request.method")));
    assertEquals(http.getSpanId(), issue.getParentSpanId());
    assertEquals(issue.getSpanId(), wait.getParentSpanId());
    assertEquals(issue.getSpanId(), publish.getParentSpanId());
    assertEquals(publish.getSpanId(), consume.getParentSpanId());
    assertEquals(consume.getSpanId(), ticket.getParentSpanId());
    assertEquals(ticket.getSpanId(), readModel.getParentSpanId());
    assertEquals(SpanKind.PRODUCER, publish.getKind());
    assertEquals(SpanKind.CONSUMER, consume.getKind());

    // in both services
    for (SpanData s : List.of(http, issue, wait, publish)) {
      assertEquals("customer-service", s.getInstrumentationScopeInfo().getName(), s.getName());
    }
    for (SpanData s : List.of(consume, ticket, readModel)) {
      assertEquals("backoffice-service", s.getInstrumentationScopeInfo().getName(), s.getName());
    }

    // in causal order, with the time in the outbox measured
    List<SpanData> chain = List.of(http, issue, publish, consume, ticket, readModel);
    for (int i = 1; i < chain.size(); i++) {
      assertTrue(
          chain.get(i).getStartEpochNanos() >= chain.get(i - 1).getStartEpochNanos(),
          chain.get(i).getName() + " starts after " + chain.get(i - 1).getName());
    }
    Long waited = publish.getAttributes().get(AttributeKey.longKey("outbox.wait_ms"));
    assertTrue(waited != null && waited >= 0, "outbox.wait_ms: " + waited);
    assertEquals(
        wait.getEndEpochNanos(),
        publish.getStartEpochNanos(),
        "the wait ends where the publish starts");
    assertTrue(wait.getStartEpochNanos() <= publish.getStartEpochNanos());
    assertEquals(id, ticket.getAttributes().get(AttributeKey.stringKey("ticket.id")));

    // the Ticket's event keeps the context the read-model update continued
    String event =
        String.valueOf(
            services
                .backofficeSql
                .rows(
                    "SELECT convert_from(event_payload, 'UTF8') AS e FROM event_journal WHERE persistence_id = ?",
                    "Ticket|" + id)
                .get(0)
                .get("e"));
    assertTrue(
        event.contains("\"traceparent\":\"00-" + callerTrace + "-" + ticket.getSpanId() + "-01\""),
        event);
  }

  @Test
  void aMessageWithoutTraceContextStartsANewTrace() {
    UUID ticketId = UUID.randomUUID();
    publish(ticketId, Map.of());
    awaitReadModelRow(ticketId.toString());
    SpanData consume = awaitConsumeOf(ticketId);
    assertFalse(consume.getParentSpanContext().isValid(), "a root span");
    List<SpanData> trace = awaitTrace(consume.getTraceId(), "tickets read-model update");
    assertEquals(consume.getSpanId(), one(trace, "Ticket prepare").getParentSpanId());
  }

  @Test
  void aMalformedTraceparentIsIgnoredAndTheCommandApplies() {
    UUID ticketId = UUID.randomUUID();
    publish(ticketId, Map.of("traceparent", "00-not-a-trace-context-01", "tracestate", "=,="));
    awaitReadModelRow(ticketId.toString());
    SpanData consume = awaitConsumeOf(ticketId);
    assertFalse(consume.getParentSpanContext().isValid(), "a new trace");
    assertNotEquals("00000000000000000000000000000000", consume.getTraceId());
    assertEquals(0, services.backoffice.get("/dead-letters").json().size());
  }

  @Test
  void anEmployeesActionIsOneTraceFromTheRequestToTheReadModelRow() {
    UUID ticketId = UUID.randomUUID();
    publish(ticketId, Map.of());
    awaitReadModelRow(ticketId.toString());

    assertEquals(
        200,
        services
            .backoffice
            .postJson("/tickets/" + ticketId + "/assign", "{\"assignee\":\"adam\"}")
            .status());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> s.getName().equals("HTTP POST /tickets/{id}/assign")));
    SpanData http =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("HTTP POST /tickets/{id}/assign"))
            .findFirst()
            .orElseThrow();
    List<SpanData> trace = awaitTrace(http.getTraceId(), "tickets read-model update");
    SpanData assign = one(trace, "Ticket assign");
    assertEquals(http.getSpanId(), assign.getParentSpanId());
    assertEquals(assign.getSpanId(), one(trace, "tickets read-model update").getParentSpanId());
    assertEquals("backoffice-service", http.getInstrumentationScopeInfo().getName());
  }

  @Test
  void aDeadLetterShowsTheTraceOfItsMessageAndItsReplayIsTraced() {
    UUID ticketId = UUID.randomUUID();
    String messageTrace = "0af7651916cd43dd8448eb211c80319c";
    // a cancel of a ticket that does not exist can never succeed: it becomes a dead letter
    publishRaw(
        DistributedCommands.CANCEL_TICKET,
        ticketId + ":2",
        DistributedCommands.toJson(new org.example.helpdesk.protocol.CancelTicket(ticketId)),
        Map.of("traceparent", "00-" + messageTrace + "-b7ad6b7169203331-01"));
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(ticketId + ":2").isPresent());
    com.fasterxml.jackson.databind.JsonNode deadLetter =
        deadLetterOf(ticketId + ":2").orElseThrow();
    assertEquals(messageTrace, deadLetter.path("traceId").asText(), deadLetter.toString());
    SpanData consume = one(awaitTrace(messageTrace, "inbox consume"), "inbox consume");
    assertEquals("b7ad6b7169203331", consume.getParentSpanId());

    long id = deadLetter.path("id").asLong();
    assertEquals(
        409,
        services.backoffice.post("/dead-letters/" + id + "/replay", null, new byte[0]).status(),
        "fails again");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> s.getName().equals("HTTP POST /dead-letters/{id}/replay")));
    SpanData http =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("HTTP POST /dead-letters/{id}/replay"))
            .findFirst()
            .orElseThrow();
    List<SpanData> trace = trace(http.getTraceId());
    SpanData replay = one(trace, "DeadLetter replay");
    assertEquals(http.getSpanId(), replay.getParentSpanId());
    assertEquals(replay.getSpanId(), one(trace, "Ticket cancel").getParentSpanId());
    assertEquals(409L, http.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
  }

  private static Optional<com.fasterxml.jackson.databind.JsonNode> deadLetterOf(String messageId) {
    for (com.fasterxml.jackson.databind.JsonNode d :
        services.backoffice.get("/dead-letters").json()) {
      if (d.path("messageId").asText().equals(messageId)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static void publish(UUID ticketId, Map<String, Object> headers) {
    publishRaw(
        DistributedCommands.PREPARE_TICKET,
        ticketId + ":1",
        DistributedCommands.toJson(
            new PrepareTicket(
                ticketId, TicketType.CUSTOMER_ISSUE, new Description("published by hand"))),
        headers);
  }

  private static void publishRaw(
      String type, String messageId, byte[] body, Map<String, Object> headers) {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .type(type)
            .messageId(messageId)
            .contentType("application/json")
            .deliveryMode(2)
            .timestamp(Date.from(Instant.now()))
            .headers(headers.isEmpty() ? null : new HashMap<>(headers))
            .build();
    TestBroker.publish(
        BrokerTopology::declare,
        AmqpTopology.COMMANDS_EXCHANGE,
        AmqpTopology.BACKOFFICE_ROUTING_KEY,
        properties,
        body);
  }

  private static void awaitReadModelRow(String ticketId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                services.backofficeSql.count(
                        "SELECT count(*) FROM tickets WHERE ticket_id = ?::uuid", ticketId)
                    == 1);
  }

  private static SpanData awaitConsumeOf(UUID ticketId) {
    await().atMost(Duration.ofSeconds(10)).until(() -> consumeOf(ticketId).isPresent());
    return consumeOf(ticketId).orElseThrow();
  }

  private static Optional<SpanData> consumeOf(UUID ticketId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("inbox consume"))
        .filter(
            s ->
                (ticketId + ":1")
                    .equals(s.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))))
        .findFirst();
  }

  /** The spans of a trace, once one of them is the last one expected. */
  private static List<SpanData> awaitTrace(String traceId, String last) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> trace(traceId).stream().anyMatch(s -> s.getName().equals(last)));
    return trace(traceId);
  }

  private static List<SpanData> trace(String traceId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }

  private static SpanData one(List<SpanData> trace, String name) {
    List<SpanData> named = trace.stream().filter(s -> s.getName().equals(name)).toList();
    assertEquals(
        1, named.size(), () -> name + " in " + trace.stream().map(SpanData::getName).toList());
    return named.get(0);
  }
}
