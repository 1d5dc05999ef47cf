package org.example.helpdesk.customer.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.InvalidEventException;
import org.example.helpdesk.protocol.TextRules;

/**
 * A ticket event as the inbox sees it, fresh from the broker or replayed from a dead letter: its
 * identity, type, body, properties (as a JSON document, for the operator) and trace context.
 *
 * @param messageId the AMQP message id ({@code <ticketId>:<sequence>}), or a digest of type and
 *     body when the message had none
 * @param traceparent the W3C trace context the message carried, or null
 */
public record EventMessage(
    String messageId, String type, byte[] body, String headersJson, String traceparent) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static EventMessage from(CommittableMessage delivery) {
    AMQP.BasicProperties p = delivery.properties();
    String id = p.getMessageId();
    return new EventMessage(
        id == null || id.isBlank()
            ? digestOf(p.getType(), delivery.body())
            : TextRules.storable(id.length() > 255 ? id.substring(0, 255) : id),
        p.getType(),
        delivery.body(),
        headersOf(delivery),
        p.getHeaders() == null
            ? null
            : Tracing.headerText(p.getHeaders().get(Tracing.TRACEPARENT)));
  }

  /** The event, or why this message can never be one. */
  public DistributedEvent decode() throws InvalidEventException {
    if (type == null) {
      throw new InvalidEventException("message has no type: which event it is cannot be known");
    }
    return DistributedEvents.fromJson(type, body);
  }

  /**
   * The issue the message is about: its event's, or, for a message that is no valid event, the
   * {@code ticketId} its body names, so that even a broken event holds its issue's later ones back.
   */
  public Optional<UUID> issueId() {
    try {
      return Optional.of(decode().ticketId());
    } catch (InvalidEventException | RuntimeException e) {
      try {
        return Optional.of(UUID.fromString(JSON.readTree(body).path("ticketId").asText()));
      } catch (IOException | RuntimeException notThere) {
        return Optional.empty();
      }
    }
  }

  private static String headersOf(CommittableMessage delivery) {
    AMQP.BasicProperties p = delivery.properties();
    ObjectNode node = JSON.createObjectNode();
    put(node, "type", p.getType());
    put(node, "messageId", p.getMessageId());
    put(node, "contentType", p.getContentType());
    if (p.getTimestamp() != null) {
      node.put("timestamp", p.getTimestamp().toInstant().toString());
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
}
