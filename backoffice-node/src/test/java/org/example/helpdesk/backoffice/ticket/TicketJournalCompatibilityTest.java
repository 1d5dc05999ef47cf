package org.example.helpdesk.backoffice.ticket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ticket whose journal rows were written before issue 19 (the rows captured from that code:
 * resources {@code journal-main/}), in pekko-persistence-jdbc's real tables: the entity recovers
 * from them, takes a new command on top, and the read model projects old and new events alike.
 */
class TicketJournalCompatibilityTest {

  /** The ticket id in the captured rows. */
  private static final String CAPTURED_ID = "7c0f3a52-1d2e-4b8a-9f61-0a1b2c3d4e5f";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(Map.of("helpdesk.auth.employees", TestEmployees.ENTRIES)));

  @Test
  void aTicketRecordedBeforeRecoversTakesNewCommandsAndIsProjected() throws IOException {
    UUID id = UUID.randomUUID();
    List<String[]> rows = captured();
    // prepared internally (with its traceparent), then assigned to alice by carol
    journal(id, 1, rows.get(1));
    journal(id, 2, rows.get(2));

    // the entity recovers from the old rows: the ticket it answers with is assigned to alice
    // (a first ask may time out while the node's shards settle; a cancel again changes nothing)
    HttpTestClient.Response cancelled =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> node.http.post("/tickets/" + id + "/cancel", null, new byte[0]),
                response -> response.status() != 503);
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals("cancelled", cancelled.json().path("status").asText());
    assertEquals("alice", cancelled.json().path("assignee").asText());
    assertEquals("carol", cancelled.json().path("assignedBy").asText());

    node.awaitStatus(id, "cancelled");
    Map<String, Object> row = node.ticketRow(id);
    assertEquals("set up the printer", row.get("description"));
    assertEquals("alice", row.get("assignee"));
    assertEquals("carol", row.get("assigned_by"));
    assertEquals(
        List.of("TicketWasPrepared", "TicketWasAssigned", "TicketWasCancelled"), node.events(id));
    JsonNode found = node.http.get("/tickets/" + id).json();
    assertEquals("cancelled", found.path("status").asText());
    assertEquals("internal", found.path("ticketType").asText());
  }

  /** Inserts a captured row as the journal held it, for this ticket, with its tag. */
  private static void journal(UUID id, long sequenceNumber, String[] row) {
    String payload = row[2].replace(CAPTURED_ID, id.toString()).replace("'", "''");
    node.sql.execute(
        "INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer,"
            + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload)"
            + " VALUES ('Ticket|"
            + id
            + "', "
            + sequenceNumber
            + ", false, 'main', 1764147600123, '', "
            + Integer.parseInt(row[0])
            + ", '"
            + row[1]
            + "', convert_to('"
            + payload
            + "', 'UTF8'))");
    node.sql.execute(
        "INSERT INTO event_tag (event_id, tag) SELECT ordering, '"
            + TicketTags.tagFor(id)
            + "' FROM event_journal WHERE persistence_id = 'Ticket|"
            + id
            + "' AND sequence_number = "
            + sequenceNumber);
  }

  private static List<String[]> captured() throws IOException {
    try (InputStream in =
        TicketJournalCompatibilityTest.class
            .getClassLoader()
            .getResourceAsStream("journal-main/ticket-events.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(line -> line.split("\\|", 3))
          .toList();
    }
  }
}
