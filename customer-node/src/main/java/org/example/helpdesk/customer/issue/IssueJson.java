package org.example.helpdesk.customer.issue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TraceContext;

/**
 * The JSON of what the customer node stores and sends between its nodes, kept out of the rules.
 * Registered with Pekko's Jackson serializer in {@code customer-serialization.conf}.
 *
 * <p>A {@link StoredIssue} is written field by field, exactly as issues have been stored since
 * their outbox holds facts (version 2, see {@link StoredIssueUpgrade}): the issue's fields, then
 * its outbox, each entry flat, its fact's name ({@code "fact": "reported"} or {@code "closed"}),
 * number, fields and {@code traceparent} side by side; the issue's id and e-mail, which a report
 * names, are the document's and stored once. Then the last entry number.
 *
 * <p>In an {@link IssueEntity.Envelope}, the command goes by its name ({@code "type": "report"} or
 * {@code "close"}) and the trace context, here as everywhere, is its {@code traceparent} or null.
 */
public final class IssueJson extends SimpleModule {

  public IssueJson() {
    super("IssueJson");
    setMixInAnnotation(Issue.Command.class, CommandNames.class);
    setMixInAnnotation(TraceContext.class, TraceparentOnly.class);
    addSerializer(StoredIssue.class, new Writer());
    addDeserializer(StoredIssue.class, new Reader());
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Issue.ReportIssue.class, name = "report"),
    @JsonSubTypes.Type(value = Issue.CloseIssue.class, name = "close"),
    @JsonSubTypes.Type(value = Issue.RecordTicketProgress.class, name = "ticket-progress")
  })
  private interface CommandNames {}

  private abstract static class TraceparentOnly {
    @JsonValue
    abstract String traceparent();

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static TraceContext of(String traceparent) {
      return TraceContext.of(traceparent);
    }
  }

  private static final String REPORTED = "reported";
  private static final String CLOSED = "closed";
  private static final String TICKET = "ticket";
  private static final String NOTIFY = "notify";

  /** An enum constant as it is stored: {@code CLOSED_BY_SUPPORT} as {@code closed-by-support}. */
  public static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> E named(Class<E> type, String name) {
    return Enum.valueOf(type, name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  private static final class Writer extends JsonSerializer<StoredIssue> {
    @Override
    public void serialize(StoredIssue stored, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      Issue.ReportedIssue issue = stored.issue();
      out.writeStartObject();
      provider.defaultSerializeField("issueId", issue.issueId(), out);
      provider.defaultSerializeField("email", issue.email(), out);
      provider.defaultSerializeField("content", issue.content(), out);
      provider.defaultSerializeField("status", issue.status(), out);
      provider.defaultSerializeField("reportedAt", issue.reportedAt(), out);
      provider.defaultSerializeField("closedAt", issue.closedAt(), out);
      // written only once support moved: documents from before keep their exact bytes
      if (issue.progress() != Issue.Progress.REPORTED || issue.lastTicketSequence() > 0) {
        out.writeStringField("progress", name(issue.progress()));
        out.writeNumberField("lastTicketSequence", issue.lastTicketSequence());
      }
      out.writeArrayFieldStart("outbox");
      for (StoredIssue.Entry entry : stored.outbox()) {
        out.writeStartObject();
        if (entry.fact() instanceof Issue.IssueWasReported reported) {
          out.writeStringField("fact", REPORTED);
          out.writeNumberField("number", entry.number());
          provider.defaultSerializeField("content", reported.content(), out);
        } else if (entry.fact() instanceof Issue.TicketProgressed step) {
          out.writeStringField("fact", TICKET);
          out.writeNumberField("number", entry.number());
          out.writeNumberField("sequence", step.sequence());
          out.writeStringField("step", name(step.step()));
          provider.defaultSerializeField("reply", step.reply(), out);
        } else if (entry.fact() instanceof Issue.NotificationWasQueued notification) {
          out.writeStringField("fact", NOTIFY);
          out.writeNumberField("number", entry.number());
          out.writeStringField("about", name(notification.about()));
          provider.defaultSerializeField("reply", notification.reply(), out);
        } else {
          out.writeStringField("fact", CLOSED);
          out.writeNumberField("number", entry.number());
        }
        provider.defaultSerializeField("recordedAt", entry.fact().at(), out);
        out.writeStringField("traceparent", entry.trace().traceparent());
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeNumberField("lastEntryNumber", stored.lastEntryNumber());
      out.writeEndObject();
    }
  }

  private static final class Reader extends JsonDeserializer<StoredIssue> {
    @Override
    public StoredIssue deserialize(JsonParser in, DeserializationContext context)
        throws IOException {
      ObjectCodec codec = in.getCodec();
      JsonNode doc = in.readValueAsTree();
      UUID issueId = value(codec, doc.get("issueId"), UUID.class);
      Email email = value(codec, doc.get("email"), Email.class);
      Issue.ReportedIssue issue =
          new Issue.ReportedIssue(
              issueId,
              email,
              value(codec, doc.get("content"), IssueContent.class),
              value(codec, doc.get("status"), Issue.Status.class),
              value(codec, doc.get("reportedAt"), Instant.class),
              value(codec, doc.get("closedAt"), Instant.class),
              doc.hasNonNull("progress")
                  ? named(Issue.Progress.class, doc.get("progress").asText())
                  : Issue.Progress.REPORTED,
              doc.path("lastTicketSequence").asLong(0));
      List<StoredIssue.Entry> outbox = new ArrayList<>();
      for (JsonNode entry : doc.path("outbox")) {
        Instant at = value(codec, entry.get("recordedAt"), Instant.class);
        String fact = entry.path("fact").asText();
        outbox.add(
            new StoredIssue.Entry(
                entry.path("number").asLong(),
                switch (fact) {
                  case REPORTED ->
                      new Issue.IssueWasReported(
                          issueId,
                          email,
                          value(codec, entry.get("content"), IssueContent.class),
                          at);
                  case CLOSED -> new Issue.IssueWasClosed(at);
                  case TICKET ->
                      new Issue.TicketProgressed(
                          entry.path("sequence").asLong(),
                          named(Issue.TicketStep.class, entry.path("step").asText()),
                          at,
                          value(codec, entry.get("reply"), SupportReply.class));
                  case NOTIFY ->
                      new Issue.NotificationWasQueued(
                          named(Issue.Notification.class, entry.path("about").asText()),
                          value(codec, entry.get("reply"), SupportReply.class),
                          at);
                  default ->
                      throw context.weirdStringException(
                          fact, Issue.Fact.class, "not a fact of an issue");
                },
                TraceContext.of(value(codec, entry.get("traceparent"), String.class))));
      }
      return new StoredIssue(issue, outbox, doc.path("lastEntryNumber").asLong());
    }

    private static <T> T value(ObjectCodec codec, JsonNode node, Class<T> type) throws IOException {
      return node == null || node.isNull() ? null : codec.treeToValue(node, type);
    }
  }
}
