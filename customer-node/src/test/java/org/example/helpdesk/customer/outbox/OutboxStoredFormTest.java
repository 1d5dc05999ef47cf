package org.example.helpdesk.customer.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.customer.issue.Email;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.Issue.IssueWasClosed;
import org.example.helpdesk.customer.issue.Issue.IssueWasReported;
import org.example.helpdesk.customer.issue.Issue.Notification;
import org.example.helpdesk.customer.issue.Issue.NotificationWasQueued;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.Status;
import org.example.helpdesk.customer.issue.Issue.TicketProgressed;
import org.example.helpdesk.customer.issue.Issue.TicketStep;
import org.example.helpdesk.customer.issue.StoredIssue;
import org.example.helpdesk.customer.issue.StoredIssue.Entry;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TraceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issues as earlier code stored them read as they meant, trace context included, and an issue
 * written now is stored and relayed as before, byte for byte. The fixtures in {@code
 * stored-by-main/} were printed by the code of the commit before the Issue's rules stood alone (its
 * serializer and {@link BackofficeCommands}), except the version-1 document, which is the one
 * {@code OutboxRelayTest} stores.
 */
class OutboxStoredFormTest {

  private static final int JACKSON_JSON = 31;
  private static final String OLD_MANIFEST =
      "org.example.helpdesk.customer.issue.Issue$ReportedIssue";

  private static final UUID ID = UUID.fromString("3f1c2a7e-9b4d-4c1e-8a2f-5d6e7f809a1b");
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-26T09:05:30.123456Z");
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final Email EMAIL = Email.of("jane.doe+help@example.com");
  private static final IssueContent CONTENT =
      new IssueContent("Printer \"on fire\"\nsecond line é");

  private static final Entry REPORTED =
      new Entry(1, new IssueWasReported(ID, EMAIL, CONTENT, T0), TraceContext.of(TRACEPARENT));
  private static final Entry CLOSED = new Entry(2, new IssueWasClosed(T1), TraceContext.none());

  private static final StoredIssue OPEN =
      new StoredIssue(
          new ReportedIssue(ID, EMAIL, CONTENT, Status.OPEN, T0, null, Issue.Progress.REPORTED, 0),
          List.of(REPORTED),
          1);
  private static final StoredIssue DONE =
      new StoredIssue(
          new ReportedIssue(ID, EMAIL, CONTENT, Status.CLOSED, T0, T1, Issue.Progress.REPORTED, 0),
          List.of(REPORTED, CLOSED),
          2);

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.load( // (resolved: it appends to Pekko's list of Jackson modules)
              ConfigFactory.parseResources("customer-serialization.conf")
                  .withFallback(
                      ConfigFactory.parseString("pekko.actor.allow-java-serialization = off"))));

  private static final Serialization serialization = SerializationExtension.get(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void issuesStoredByEarlierCodeReadAsTheyMeantWithTheirTraceContext() throws IOException {
    assertEquals(OPEN, read(fixture("issue-open.json"), OLD_MANIFEST + "#2"));
    assertEquals(DONE, read(fixture("issue-closed.json"), OLD_MANIFEST + "#2"));
    assertEquals(TraceContext.of(TRACEPARENT), OPEN.outbox().get(0).trace());
  }

  @Test
  void anIssueStoredWhenItsOutboxHeldCommandsReadsAsItsFacts() throws IOException {
    Email jane = Email.of("jane@example.com");
    IssueContent content = new IssueContent("stored long ago");
    assertEquals(
        new StoredIssue(
            new ReportedIssue(ID, jane, content, Status.OPEN, T0, null, Issue.Progress.REPORTED, 0),
            List.of(new Entry(1, new IssueWasReported(ID, jane, content, T0), TraceContext.none())),
            1),
        read(fixture("issue-v1-open.json"), OLD_MANIFEST));
  }

  @Test
  void anIssueWrittenNowIsStoredAsBeforeUnderItsOwnClass() throws IOException {
    for (var written : Map.of(OPEN, "issue-open.json", DONE, "issue-closed.json").entrySet()) {
      var serializer = serialization.findSerializerFor(written.getKey());
      assertEquals(JACKSON_JSON, serializer.identifier());
      assertEquals(
          StoredIssue.class.getName(), Serializers.manifestFor(serializer, written.getKey()));
      byte[] bytes = serialization.serialize(written.getKey()).get();
      assertEquals(new String(fixture(written.getValue()), UTF_8), new String(bytes, UTF_8));
      assertEquals(written.getKey(), read(bytes, StoredIssue.class.getName()));
    }
  }

  @Test
  void theRelayMakesTheSameMessagesOfItsEntriesAsBefore() throws IOException {
    StoredIssue stored = read(fixture("issue-closed.json"), OLD_MANIFEST + "#2");
    List<String> before = List.of(new String(fixture("relayed-messages.txt"), UTF_8).split("\n"));
    List<String> now =
        stored.outbox().stream()
            .map(
                e ->
                    describe(BackofficeCommands.message(ID, e, Map.of("traceparent", TRACEPARENT))))
            .toList();
    assertEquals(before, now);
    for (int i = 0; i < now.size(); i++) {
      OutboundMessage message =
          BackofficeCommands.message(
              ID, stored.outbox().get(i), Map.of("traceparent", TRACEPARENT));
      assertEquals(
          List.of(T0, T1.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).get(i),
          message.properties().getTimestamp().toInstant());
      assertArrayEquals(
          before.get(i).substring(before.get(i).indexOf(" body=") + 6).getBytes(UTF_8),
          message.body());
    }
  }

  @Test
  void whatSupportToldIsStoredReadBackAndNeverRelayed() throws IOException {
    SupportReply reply = new SupportReply("We replaced the toner. \"Ça marche\"");
    List<Entry> outbox =
        List.of(
            REPORTED,
            new Entry(
                2, new TicketProgressed(3, TicketStep.ASSIGNED, T1, null), TraceContext.none()),
            new Entry(
                3,
                new NotificationWasQueued(Notification.AGENT_ASSIGNED, null, T1),
                TraceContext.none()),
            new Entry(
                4, new TicketProgressed(5, TicketStep.ANSWERED, T1, reply), TraceContext.none()),
            new Entry(
                5,
                new NotificationWasQueued(Notification.SUPPORT_REPLIED, reply, T1),
                TraceContext.of(TRACEPARENT)),
            new Entry(
                6, new TicketProgressed(6, TicketStep.CANCELLED, T1, null), TraceContext.none()));
    StoredIssue stored =
        new StoredIssue(
            new ReportedIssue(
                ID, EMAIL, CONTENT, Status.CLOSED, T0, T1, Issue.Progress.CLOSED_BY_SUPPORT, 6),
            outbox,
            6);
    byte[] bytes = serialization.serialize(stored).get();
    String json = new String(bytes, UTF_8);
    assertTrue(json.contains("\"progress\":\"closed-by-support\",\"lastTicketSequence\":6"), json);
    assertTrue(
        json.contains("\"fact\":\"notify\",\"number\":3,\"about\":\"agent-assigned\""), json);
    assertEquals(stored, read(bytes, StoredIssue.class.getName()));
    assertEquals(
        List.of(true, false, false, false, false, false),
        outbox.stream().map(e -> BackofficeCommands.isForBackoffice(ID, e)).toList());
  }

  /** As the fixture was printed (the timestamp in this JVM's time zone, UTC when printed). */
  private static String describe(OutboundMessage m) {
    return "exchange="
        + m.exchange()
        + " key="
        + m.routingKey()
        + " props="
        + m.properties()
        + " body="
        + new String(m.body(), UTF_8);
  }

  private static StoredIssue read(byte[] bytes, String manifest) {
    return (StoredIssue) serialization.deserialize(bytes, JACKSON_JSON, manifest).get();
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        OutboxStoredFormTest.class.getResourceAsStream("/stored-by-main/" + name)) {
      return in.readAllBytes();
    }
  }
}
