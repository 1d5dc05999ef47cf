package org.example.helpdesk.customer.outbox;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.example.helpdesk.customer.issue.Email;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.amqp.OutboundMessage;
import org.junit.jupiter.api.Test;

/** Throwaway: prints the stored form and relayed messages of today's main, for fixtures. */
class CaptureStoredFormTest {
  @Test
  void capture() {
    ActorTestKit kit =
        ActorTestKit.create(
            ConfigFactory.parseResources("customer-serialization.conf")
                .withFallback(
                    ConfigFactory.parseString("pekko.actor.allow-java-serialization = off")));
    try {
      var ser = SerializationExtension.get(kit.system());
      UUID id = UUID.fromString("3f1c2a7e-9b4d-4c1e-8a2f-5d6e7f809a1b");
      Instant t0 = Instant.parse("2026-11-26T09:00:00Z");
      Instant t1 = Instant.parse("2026-11-26T09:05:30.123456Z");
      String tp1 = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      IssueContent content = new IssueContent("Printer \"on fire\"\nsecond line é");
      Email email = Email.of("jane.doe+help@example.com");
      var reported = new Issue.IssueWasReported(1, content, t0, tp1);
      var closed = new Issue.IssueWasClosed(2, t1, null);
      var open =
          new Issue.ReportedIssue(
              id, email, content, Issue.Status.OPEN, t0, null, List.of(reported), 1);
      var done =
          new Issue.ReportedIssue(
              id, email, content, Issue.Status.CLOSED, t0, t1, List.of(reported, closed), 2);
      for (Object o : List.of(open, done)) {
        var s = ser.findSerializerFor(o);
        System.out.println(
            "CAPTURE serializer=" + s.identifier() + " manifest=" + Serializers.manifestFor(s, o));
        System.out.println(
            "CAPTURE json=" + new String(ser.serialize(o).get(), StandardCharsets.UTF_8));
      }
      for (Issue.Fact f : List.of(reported, closed)) {
        OutboundMessage m = BackofficeCommands.message(id, f, Map.of("traceparent", tp1));
        var p = m.properties();
        System.out.println(
            "CAPTURE message exchange="
                + m.exchange()
                + " key="
                + m.routingKey()
                + " props="
                + p
                + " body="
                + new String(m.body(), StandardCharsets.UTF_8));
      }
    } finally {
      kit.shutdownTestKit();
    }
  }
}
