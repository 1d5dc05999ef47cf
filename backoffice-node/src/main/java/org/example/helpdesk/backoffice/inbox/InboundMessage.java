package org.example.helpdesk.backoffice.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.DistributedCommands;
import org.example.helpdesk.protocol.InvalidCommandException;
import org.example.helpdesk.protocol.TextRules;

/**
 * A message as the inbox sees it, whether it just arrived from the broker or is replayed from the
 * dead-letter store: its identity, its type and body, and its properties as a JSON document. Its
 * body is decoded once, when first asked.
 */
public final class InboundMessage {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String messageId;
  private final boolean hasMessageId;
  private final String type;
  private final byte[] body;
  private final String headersJson;
  private final String correlationId;
  private final String traceparent;
  private final String tracestate;
  private DistributedCommand command;
  private InvalidCommandException problem;

  /**
   * @param traceparent the W3C trace context the message's handling continues (as received, or the
   *     inbox's own span's once it made one); null: none
   */
  public InboundMessage(
      String messageId,
      boolean hasMessageId,
      String type,
      byte[] body,
      String headersJson,
      String correlationId,
      String traceparent,
      String tracestate) {
    this.messageId = messageId;
    this.hasMessageId = hasMessageId;
    this.type = type;
    this.body = body;
    this.headersJson = headersJson;
    this.correlationId = correlationId;
    this.traceparent = traceparent;
    this.tracestate = tracestate;
  }

  public String messageId() {
    return messageId;
  }

  public String type() {
    return type;
  }

  public byte[] body() {
    return body;
  }

  public String headersJson() {
    return headersJson;
  }

  public String correlationId() {
    return correlationId;
  }

  /** The W3C trace context of the message (see the constructor), or null. */
  public String traceparent() {
    return traceparent;
  }

  public String tracestate() {
    return tracestate;
  }

  /** The trace id of {@link #traceparent()}, if it is well formed. */
  public String traceId() {
    return Tracing.traceIdOf(traceparent);
  }

  /** This message, handled in the trace context {@code traceparent}. */
  public synchronized InboundMessage withTraceparent(String replacement) {
    InboundMessage m =
        new InboundMessage(
            messageId,
            hasMessageId,
            type,
            body,
            headersJson,
            correlationId,
            replacement,
            tracestate);
    m.command = command;
    m.problem = problem;
    return m;
  }

  public static InboundMessage from(CommittableMessage delivery) {
    AMQP.BasicProperties p = delivery.properties();
    String id = p.getMessageId();
    boolean hasId = id != null && !id.isBlank();
    return new InboundMessage(
        hasId ? TextRules.storable(truncate(id, 255)) : digestOf(p.getType(), delivery.body()),
        hasId,
        p.getType(),
        delivery.body(),
        headersOf(delivery),
        p.getCorrelationId(),
        header(p, Tracing.TRACEPARENT),
        header(p, Tracing.TRACESTATE));
  }

  private static String header(AMQP.BasicProperties p, String name) {
    return p.getHeaders() == null ? null : Tracing.headerText(p.getHeaders().get(name));
  }

  /** A replayed dead letter: it was given its identity when it was stored. */
  public static InboundMessage replayed(
      String messageId, String type, byte[] body, String headersJson) {
    return new InboundMessage(messageId, true, type, body, headersJson, null, null, null);
  }

  /** The command in this message, or why there can never be one. */
  public synchronized DistributedCommand decode() throws InvalidCommandException {
    if (command == null && problem == null) {
      try {
        if (!hasMessageId) {
          throw new InvalidCommandException(
              "message has no message-id, so duplicates of it could not be recognised");
        }
        command = DistributedCommands.fromJson(type, body);
      } catch (InvalidCommandException e) {
        problem = e;
      }
    }
    if (problem != null) {
      throw problem;
    }
    return command;
  }

  /**
   * The ticket the message is about: that of its command, or, for a command that is invalid
   * otherwise (a description too long), the {@code ticketId} its body names — so that a broken
   * command still holds its ticket's later commands back.
   */
  public Optional<java.util.UUID> ticketId() {
    try {
      return Optional.of(decode().ticketId());
    } catch (InvalidCommandException e) {
      try {
        return Optional.of(
            java.util.UUID.fromString(JSON.readTree(body).path("ticketId").asText()));
      } catch (java.io.IOException | RuntimeException notThere) {
        return Optional.empty();
      }
    }
  }

  /** Commands of one ticket are handled one at a time, in arrival order. */
  public Object partitionKey() {
    return ticketId().<Object>map(id -> id).orElse(messageId);
  }

  /** A replayed dead letter with its body replaced (an operator fixed it). */
  public InboundMessage withBody(byte[] replacement) {
    return new InboundMessage(
        messageId,
        hasMessageId,
        type,
        replacement,
        headersJson,
        correlationId,
        traceparent,
        tracestate);
  }

  private static String headersOf(CommittableMessage delivery) {
    AMQP.BasicProperties p = delivery.properties();
    ObjectNode node = JSON.createObjectNode();
    put(node, "type", p.getType());
    put(node, "messageId", p.getMessageId());
    put(node, "correlationId", p.getCorrelationId());
    put(node, "contentType", p.getContentType());
    put(node, "contentEncoding", p.getContentEncoding());
    if (p.getTimestamp() != null) {
      node.put("timestamp", p.getTimestamp().toInstant().toString());
    }
    if (p.getDeliveryMode() != null) {
      node.put("deliveryMode", p.getDeliveryMode());
    }
    put(node, "appId", p.getAppId());
    put(node, "exchange", delivery.envelope().getExchange());
    put(node, "routingKey", delivery.envelope().getRoutingKey());
    node.put("redelivered", delivery.redelivered());
    if (p.getHeaders() != null && !p.getHeaders().isEmpty()) {
      ObjectNode headers = node.putObject("headers");
      for (Map.Entry<String, Object> h : p.getHeaders().entrySet()) {
        headers.put(
            TextRules.storable(h.getKey()), TextRules.storable(String.valueOf(h.getValue())));
      }
    }
    return node.toString();
  }

  private static void put(ObjectNode node, String field, String value) {
    // jsonb takes no NUL (not even escaped) and no half characters
    Optional.ofNullable(value).ifPresent(v -> node.put(field, TextRules.storable(v)));
  }

  private static String digestOf(String type, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(String.valueOf(type).getBytes(UTF_8));
      sha.update((byte) 0);
      sha.update(body);
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
