package org.example.helpdesk.backoffice.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.ticket.TicketTags;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile AMQP messages on the backoffice's queue: each ends up as one dead letter, under its
 * message id, with an error an operator can read; none of them stops the consumer, and the queue
 * drains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InboxHostileInputTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();

  @BeforeEach
  void noDeadLettersLeft() {
    node.sql.execute("DELETE FROM dead_letters");
  }

  /** A hostile message, and what its dead letter must say. */
  record Hostile(String name, AMQP.BasicProperties properties, byte[] body, String error) {

    @Override
    public String toString() {
      return name;
    }

    /** The id the inbox files it under: its message-id (at most 255 characters) or a digest. */
    String expectedMessageId() {
      String id = properties.getMessageId();
      if (id != null && !id.isBlank()) {
        return id.length() <= 255 ? id : id.substring(0, 255);
      }
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(String.valueOf(properties.getType()).getBytes(UTF_8));
        sha.update((byte) 0);
        sha.update(body);
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- the hostile messages, published together once; then one reported test per message --------

  /** A random prefix of this run's message ids. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** The ticket of the message with a NUL in its description. */
  private static final UUID WITH_NUL = UUID.randomUUID();

  private static final List<Hostile> HOSTILE = hostileMessages(RUN, WITH_NUL);

  /** What became of the hostile messages: their dead letters, listed and shown, by message id. */
  record Outcome(
      int listed, Map<String, JsonNode> byMessageId, Map<String, JsonNode> shown, UUID good) {}

  /**
   * Published by the first test that needs them, the others read what it found (each test's
   * {@code @BeforeEach} clears the dead letters, so they are read there, once).
   */
  private static final Once<Outcome> HOSTILE_OUTCOME =
      new Once<>(InboxHostileInputTest::publishTheHostileMessages);

  /** Publishes every hostile message, then a good one, and waits until the queue drains. */
  private static Outcome publishTheHostileMessages() {
    node.sql.execute("DELETE FROM dead_letters");
    Map<String, Double> metricsBefore = inboxMetrics();

    for (Hostile h : HOSTILE) {
      BackofficeTestNode.publishRaw(h.properties(), h.body());
    }
    // of the same tag as the ticket with a NUL in its description: had that one been stored, the
    // read model (PostgreSQL text cannot hold NUL) would be stuck on it, and this one never show
    UUID good;
    do {
      good = UUID.randomUUID();
    } while (!TicketTags.tagFor(good).equals(TicketTags.tagFor(WITH_NUL)));
    BackofficeTestNode.publish(
        new PrepareTicket(
            good, TicketType.CUSTOMER_ISSUE, new Description("after the hostile ones")),
        good + ":1");

    awaitTicket(good, "awaiting");
    await().atMost(PATIENCE).until(() -> deadLetters().size() >= HOSTILE.size());
    awaitDrained(metricsBefore, HOSTILE.size(), 1);

    List<JsonNode> letters = deadLetters();
    Map<String, JsonNode> byMessageId = new LinkedHashMap<>();
    Map<String, JsonNode> shown = new LinkedHashMap<>();
    for (JsonNode d : letters) {
      byMessageId.put(d.path("messageId").asText(), d);
      Response letter = node.http.get("/dead-letters/" + d.path("id").asLong());
      assertEquals(200, letter.status(), () -> d + ": " + letter);
      shown.put(d.path("messageId").asText(), letter.json());
    }
    return new Outcome(letters.size(), byMessageId, shown, good);
  }

  @Order(1)
  @Test
  void everyHostileMessageBecomesOneDeadLetterAndTheConsumerKeepsGoing() {
    Outcome outcome = HOSTILE_OUTCOME.get();
    assertEquals(
        HOSTILE.size(),
        outcome.listed(),
        () -> "one dead letter per message: " + outcome.byMessageId().keySet());
    assertEquals(
        HOSTILE.stream().map(Hostile::expectedMessageId).collect(Collectors.toSet()),
        outcome.byMessageId().keySet(),
        "every hostile message, each under its own message id");
    assertEquals(
        List.of(Map.of("status", "awaiting")),
        node.sql.rows("SELECT status FROM tickets WHERE ticket_id = ?", outcome.good()));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void aHostileMessageIsOneReadableDeadLetterKeptByteForByte(Hostile h) {
    Outcome outcome = HOSTILE_OUTCOME.get();
    JsonNode letter = outcome.byMessageId().get(h.expectedMessageId());
    assertNotNull(
        letter, () -> h.name() + ": no dead letter under " + outcome.byMessageId().keySet());
    String error = letter.path("error").asText();
    assertTrue(
        error.contains(h.error()),
        () -> h.name() + ": expected the error to mention '" + h.error() + "' but got: " + error);
    assertEquals(h.body().length, letter.path("bodySize").asInt(), h.name());
    assertEquals(
        1,
        letter.path("attempts").asInt(),
        () -> h.name() + " was handled more than once: " + letter);
    String type = h.properties().getType();
    if (type == null) {
      assertTrue(letter.path("type").isNull(), h.name());
    } else {
      assertEquals(
          type.length() <= 255 ? type : type.substring(0, 255),
          letter.path("type").asText(),
          h.name());
    }
    assertArrayEquals(
        h.body(),
        bodyOf(outcome.shown().get(h.expectedMessageId())),
        () -> h.name() + ": the dead letter keeps the body byte for byte");
  }

  static List<Hostile> hostile() {
    return HOSTILE;
  }

  // ---- two 5 MB messages, published one after the other once; then one test per message --------

  /** A 5 MB message, and the id it is published under. */
  record Big(String name, String messageId, byte[] body) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Big> BIG = bigMessages();

  /** The big messages' dead letters, listed and shown, by message id. */
  record BigOutcome(Map<String, JsonNode> listed, Map<String, JsonNode> shown) {}

  private static final Once<BigOutcome> BIG_OUTCOME =
      new Once<>(InboxHostileInputTest::publishTheBigMessages);

  private static List<Big> bigMessages() {
    String description = "x".repeat(5 * 1024 * 1024);
    byte[] bigJson =
        ("{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"customer-issue\",\"description\":\""
                + description
                + "\"}")
            .getBytes(UTF_8);
    byte[] bigGarbage = new byte[5 * 1024 * 1024];
    new Random(42).nextBytes(bigGarbage);
    bigGarbage[0] = '#'; // so that no parser takes it for a byte-order mark
    return List.of(
        new Big("5 MB of JSON", "big-json-" + UUID.randomUUID(), bigJson),
        new Big("5 MB of random bytes", "big-garbage-" + UUID.randomUUID(), bigGarbage));
  }

  private static BigOutcome publishTheBigMessages() {
    node.sql.execute("DELETE FROM dead_letters");
    Map<String, Double> metricsBefore = inboxMetrics();
    for (Big big : BIG) {
      BackofficeTestNode.publishRaw(props("ticket.prepareTicket", big.messageId()), big.body());
    }
    UUID good = UUID.randomUUID();
    BackofficeTestNode.publish(
        new PrepareTicket(good, TicketType.CUSTOMER_ISSUE, new Description("after the big ones")),
        good + ":1");

    awaitTicket(good, "awaiting");
    await().atMost(PATIENCE).until(() -> deadLetters().size() >= BIG.size());
    awaitDrained(metricsBefore, BIG.size(), 1);

    Map<String, JsonNode> listed = new LinkedHashMap<>();
    Map<String, JsonNode> shown = new LinkedHashMap<>();
    for (JsonNode d : deadLetters()) {
      listed.put(d.path("messageId").asText(), d);
      Response letter = node.http.get("/dead-letters/" + d.path("id").asLong());
      assertEquals(200, letter.status(), () -> d + ": " + letter);
      shown.put(d.path("messageId").asText(), letter.json());
    }
    return new BigOutcome(listed, shown);
  }

  @Order(2)
  @Test
  void fiveMegabyteMessagesBecomeOneDeadLetterEachAndTheNextMessageGoesThrough() {
    assertEquals(
        BIG.stream().map(Big::messageId).collect(Collectors.toSet()),
        BIG_OUTCOME.get().listed().keySet());
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @MethodSource("big")
  void aFiveMegabyteMessageIsTakenAsideAndKeptCutShortWithItsSize(Big big) {
    JsonNode letter = BIG_OUTCOME.get().listed().get(big.messageId());
    assertNotNull(letter, () -> big.name() + ": no dead letter");
    assertTrue(
        letter.path("error").asText().contains("larger than the inbox takes"),
        letter.path("error").asText());
    assertEquals(big.body().length, letter.path("bodySize").asInt(), "the size as it arrived");
    assertTrue(
        letter.path("bodyTruncated").asBoolean(), "a listing shows only the start of a big body");
    assertTrue(
        big.body().length > letter.toString().length(),
        "the listing does not carry the whole body");

    JsonNode shown = BIG_OUTCOME.get().shown().get(big.messageId());
    assertTrue(shown.path("bodyTruncated").asBoolean(), "only its start was kept");
    assertArrayEquals(
        java.util.Arrays.copyOf(big.body(), DeadLetterStore.KEPT_OF_OVERSIZED_BODY),
        bodyOf(shown),
        "kept byte for byte");
  }

  static List<Big> big() {
    return BIG;
  }

  // PostgreSQL text cannot hold NUL: before the store cleaned properties, these went round for ever
  @Order(3)
  @Test
  void aNulInTheMessagePropertiesIsDeadLetteredOnce() {
    Map<String, Double> metricsBefore = inboxMetrics();
    List<AMQP.BasicProperties> poison =
        List.of(
            props("ticket.\u0000boom", "nul-in-type"),
            props("ticket.cancel", "nul\u0000in-message-id"),
            new AMQP.BasicProperties.Builder()
                .type("ticket.cancel")
                .messageId("nul-in-correlation-id")
                .correlationId("c\u0000")
                .build(),
            new AMQP.BasicProperties.Builder()
                .type("ticket.cancel")
                .messageId("nul-in-header")
                .headers(Map.of("x", "a\u0000b"))
                .build());
    for (AMQP.BasicProperties p : poison) {
      BackofficeTestNode.publishRaw(p, "{}".getBytes(UTF_8));
    }
    UUID good = UUID.randomUUID();
    BackofficeTestNode.publish(
        new PrepareTicket(good, TicketType.CUSTOMER_ISSUE, new Description("after the NULs")),
        good + ":1");

    await()
        .alias("each of the " + poison.size() + " messages in the dead-letter store")
        .atMost(PATIENCE)
        .until(() -> node.sql.count("SELECT count(*) FROM dead_letters") == poison.size());
    awaitTicket(good, "awaiting");
    awaitDrained(metricsBefore, poison.size(), 1);
  }

  // ---- the hostile messages
  // -------------------------------------------------------------------------

  private static List<Hostile> hostileMessages(String run, UUID withNul) {
    // each on its own ticket: a later command of a ticket with a dead letter would be parked behind
    // it
    // (InboxOrderAndPoisonTest), and this test is about what each message's own dead letter says
    String prepare = "ticket.prepareTicket";
    List<Hostile> m = new ArrayList<>();
    m.add(
        raw(
            "garbage bytes",
            prepare,
            run + "-garbage",
            new byte[] {(byte) 0xff, 0x00, (byte) 0xfe, 0x13, 0x7f, (byte) 0x80},
            "malformed JSON"));
    m.add(
        text(
            "text that is not JSON",
            prepare,
            run + "-text",
            "prepare ticket 42 please",
            "malformed JSON"));
    m.add(
        text(
            "truncated JSON",
            prepare,
            run + "-truncated",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\",\"ticketType\":\"t\",\"descr",
            "malformed JSON"));
    m.add(
        raw(
            "invalid UTF-8 in a string",
            prepare,
            run + "-utf8",
            concat(
                "{\"ticketId\":\""
                    + UUID.randomUUID()
                    + "\",\"ticketType\":\"t\",\"description\":\"",
                new byte[] {(byte) 0xC3, 0x28},
                "\"}"),
            "UTF-8"));
    m.add(text("an empty body", prepare, run + "-empty", "", "empty body"));
    m.add(text("JSON null", prepare, run + "-null", "null", "body is JSON null"));
    m.add(
        text(
            "a JSON array",
            prepare,
            run + "-array",
            "[{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"t\",\"description\":\"d\"}]",
            "must be a JSON object"));
    m.add(
        text(
            "a JSON string",
            prepare,
            run + "-string",
            "\"" + UUID.randomUUID() + "\"",
            "must be a JSON object"));
    m.add(
        text(
            "a JSON string for ticket.cancel",
            "ticket.cancel",
            run + "-cancel-string",
            "\"" + UUID.randomUUID() + "\"",
            "must be a JSON object"));
    m.add(text("a JSON number", prepare, run + "-number", "42", "must be a JSON object"));
    m.add(
        text(
            "no ticketId",
            prepare,
            run + "-no-id",
            "{\"ticketType\":\"t\",\"description\":\"d\"}",
            "ticketId is required"));
    m.add(
        text(
            "ticket.cancel without ticketId",
            "ticket.cancel",
            run + "-cancel-no-id",
            "{}",
            "ticketId is required"));
    m.add(
        text(
            "ticketId not a UUID",
            prepare,
            run + "-bad-id",
            "{\"ticketId\":\"not-a-uuid\",\"ticketType\":\"t\",\"description\":\"d\"}",
            "invalid field 'ticketId': expected a UUID"));
    m.add(
        text(
            "ticketId a SQL injection",
            "ticket.cancel",
            run + "-sql-id",
            "{\"ticketId\":\"'; DROP TABLE tickets; --\"}",
            "invalid field 'ticketId': expected a UUID"));
    m.add(
        text(
            "ticketId a number",
            "ticket.cancel",
            run + "-number-id",
            "{\"ticketId\":12345}",
            "invalid field 'ticketId'"));
    m.add(
        text(
            "ticketType a number",
            prepare,
            run + "-type-number",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\",\"ticketType\":5,\"description\":\"d\"}",
            "invalid field 'ticketType': expected a string"));
    m.add(
        text(
            "ticketType blank",
            prepare,
            run + "-type-blank",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"  \",\"description\":\"d\"}",
            "ticketType must not be blank"));
    m.add(
        text(
            "ticketType 101 characters",
            prepare,
            run + "-type-long",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\""
                + "t".repeat(101)
                + "\",\"description\":\"d\"}",
            "ticketType must be at most 100 characters"));
    m.add(
        text(
            "description an object",
            prepare,
            run + "-desc-object",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"t\",\"description\":{\"text\":\"d\"}}",
            "invalid field 'description': expected a string"));
    m.add(
        text(
            "description an array",
            prepare,
            run + "-desc-array",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"t\",\"description\":[\"d\"]}",
            "invalid field 'description'"));
    m.add(
        text(
            "description missing",
            prepare,
            run + "-desc-missing",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\",\"ticketType\":\"t\"}",
            "description is required"));
    m.add(
        text(
            "description 10,001 characters",
            prepare,
            run + "-desc-long",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"t\",\"description\":\""
                + "d".repeat(10_001)
                + "\"}",
            "at most 10000"));
    m.add(
        text(
            "a NUL in the description",
            prepare,
            run + "-nul",
            "{\"ticketId\":\"" + withNul + "\",\"ticketType\":\"t\",\"description\":\"a\\u0000b\"}",
            "description must not contain control characters"));
    m.add(
        text(
            "an escape sequence in the ticketType",
            prepare,
            run + "-esc",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"\\u001b[2J\",\"description\":\"d\"}",
            "ticketType must not contain control characters"));
    m.add(
        text(
            "half a character (a lone surrogate) in the description",
            prepare,
            run + "-surrogate",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"t\",\"description\":\"a\\ud800b\"}",
            "Unicode"));
    m.add(
        raw(
            "an encoded surrogate (CESU-8) in the description",
            prepare,
            run + "-cesu",
            concat(
                "{\"ticketId\":\""
                    + UUID.randomUUID()
                    + "\",\"ticketType\":\"t\",\"description\":\"",
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\"}"),
            "UTF-8"));
    m.add(
        raw(
            "an overlong NUL (C0 80) in the description",
            prepare,
            run + "-overlong",
            concat(
                "{\"ticketId\":\""
                    + UUID.randomUUID()
                    + "\",\"ticketType\":\"t\",\"description\":\"",
                new byte[] {(byte) 0xC0, (byte) 0x80},
                "\"}"),
            "UTF-8"));
    m.add(
        text(
            "a nesting bomb in an unknown field",
            prepare,
            run + "-nesting",
            "{\"ticketId\":\""
                + UUID.randomUUID()
                + "\",\"ticketType\":\"t\",\"description\":\"d\",\"x\":"
                + "[".repeat(10_000)
                + "]".repeat(10_000)
                + "}",
            "nest"));
    m.add(
        text(
            "an unknown type",
            "ticket.explode",
            run + "-unknown-type",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "unknown command type 'ticket.explode'"));
    m.add(
        text(
            "a type in another case",
            "TICKET.CANCEL",
            run + "-type-case",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "unknown command type 'TICKET.CANCEL'"));
    // AMQP caps type and message-id at 255 bytes: the longest a sender can send
    m.add(
        text(
            "a 255-byte type",
            "t".repeat(255),
            run + "-type-255",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "unknown command type"));
    m.add(
        text(
            "no type",
            null,
            run + "-no-type",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "unknown command type 'null'"));
    m.add(
        text(
            "no message-id",
            "ticket.cancel",
            null,
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "no message-id"));
    m.add(
        text(
            "a blank message-id",
            "ticket.cancel",
            "   ",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "no message-id"));
    m.add(text("no message-id and garbage", prepare, null, "<xml/>", "no message-id"));
    m.add(
        text(
            "a 255-byte message-id",
            "ticket.cancel",
            run + "-" + "m".repeat(255 - run.length() - 1),
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "does not exist"));
    m.add(
        text(
            "cancel of an unknown ticket",
            "ticket.cancel",
            run + "-cancel-unknown",
            "{\"ticketId\":\"" + UUID.randomUUID() + "\"}",
            "does not exist"));
    return m;
  }

  // ---- helpers
  // ---------------------------------------------------------------------------------------

  private static AMQP.BasicProperties props(String type, String messageId) {
    return new AMQP.BasicProperties.Builder()
        .type(type)
        .messageId(messageId)
        .deliveryMode(2)
        .build();
  }

  private static Hostile text(
      String name, String type, String messageId, String body, String error) {
    return raw(name, type, messageId, body.getBytes(UTF_8), error);
  }

  private static Hostile raw(
      String name, String type, String messageId, byte[] body, String error) {
    return new Hostile(name, props(type, messageId), body, error);
  }

  private static byte[] concat(String before, byte[] raw, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(UTF_8));
    out.writeBytes(raw);
    out.writeBytes(after.getBytes(UTF_8));
    return out.toByteArray();
  }

  /** The body of a dead letter as shown: text when it is UTF-8, else base64. */
  private static byte[] bodyOf(JsonNode letter) {
    if (letter.path("bodyBase64").isTextual()) {
      return Base64.getDecoder().decode(letter.path("bodyBase64").asText());
    }
    assertNotNull(letter.path("body").textValue(), letter::toString);
    return letter.path("body").asText().getBytes(UTF_8);
  }

  private static List<JsonNode> deadLetters() {
    Response response = node.http.get("/dead-letters?limit=500");
    assertEquals(200, response.status(), response::toString);
    return StreamSupport.stream(response.json().spliterator(), false).toList();
  }

  private static void awaitTicket(UUID id, String status) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                node.sql.rows("SELECT status FROM tickets WHERE ticket_id = ?", id).stream()
                    .anyMatch(r -> status.equals(r.get("status"))));
  }

  /**
   * The queue is empty and the inbox has finished every message: {@code deadLettered} more dead
   * letters and {@code processed} more processed messages than before, none given back to the
   * broker. (The broker's message count alone does not see messages delivered but not acked.)
   */
  private static void awaitDrained(Map<String, Double> before, int deadLettered, int processed) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              Map<String, Double> now = inboxMetrics();
              assertEquals(0, BackofficeTestNode.messagesWaiting(), "messages ready in the queue");
              assertEquals(
                  deadLettered, delta(before, now, "dead_lettered"), "dead-lettered messages");
              assertEquals(processed, delta(before, now, "processed"), "processed messages");
              assertEquals(0, delta(before, now, "requeued"), "messages given back to the broker");
            });
  }

  private static long delta(Map<String, Double> before, Map<String, Double> now, String outcome) {
    return Math.round(now.getOrDefault(outcome, 0.0) - before.getOrDefault(outcome, 0.0));
  }

  private static final Pattern INBOX =
      Pattern.compile(
          "^helpdesk_inbox_messages_total\\{outcome=\"(\\w+)\"} (\\S+)$", Pattern.MULTILINE);

  /** The inbox's outcome counters from {@code GET /metrics}. */
  private static Map<String, Double> inboxMetrics() {
    Response metrics = node.http.get("/metrics");
    assertEquals(200, metrics.status());
    Map<String, Double> counts = new LinkedHashMap<>();
    Matcher m = INBOX.matcher(metrics.body());
    while (m.find()) {
      counts.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return counts;
  }

  /** A value worked out once, by the first test that asks; its failure is reported to each. */
  private static final class Once<T> {
    private final java.util.function.Supplier<T> work;
    private T value;
    private RuntimeException failed;

    Once(java.util.function.Supplier<T> work) {
      this.work = work;
    }

    synchronized T get() {
      if (failed != null) {
        throw new AssertionError("the shared set-up failed in an earlier test", failed);
      }
      if (value == null) {
        try {
          value = work.get();
        } catch (RuntimeException e) {
          failed = e;
          throw e;
        } catch (AssertionError e) {
          failed = new IllegalStateException(e.getMessage(), e);
          throw e;
        }
      }
      return value;
    }
  }
}
