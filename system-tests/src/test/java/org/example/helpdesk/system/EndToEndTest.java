package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's run_example scenario, over HTTP, across both services. */
class EndToEndTest {

  @RegisterExtension static final TwoServices services = new TwoServices();

  @Test
  void aReportedIssueBecomesATicketAndClosingItCancelsTheTicket() {
    Response reported =
        services.customer.postJson(
            "/issues", "{\"email\":\"johny@example.com\",\"content\":\"Really important bug!\"}");
    assertEquals(201, reported.status(), reported.toString());
    String id = reported.json().path("issueId").asText();
    assertEquals("open", services.customer.get("/issues/" + id).json().path("status").asText());

    JsonNode ticket = awaitTicket(id, "awaiting");
    assertEquals("customer-issue", ticket.path("ticketType").asText());
    assertEquals("Really important bug!", ticket.path("description").asText());
    assertTrue(ticket.path("preparedAt").asText().endsWith("Z"));

    assertEquals(
        200, services.customer.post("/issues/" + id + "/close", null, new byte[0]).status());
    assertEquals(
        200,
        services.customer.post("/issues/" + id + "/close", null, new byte[0]).status(),
        "closing twice does nothing");

    JsonNode cancelled = awaitTicket(id, "cancelled");
    assertEquals(ticket.path("preparedAt"), cancelled.path("preparedAt"));
    assertEquals(
        2L,
        services.backofficeSql.count(
            "SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Ticket|" + id),
        "one TicketWasPrepared and one TicketWasCancelled");
    assertEquals(0, services.backoffice.get("/dead-letters").json().size());
  }

  private static JsonNode awaitTicket(String id, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Response r = services.backoffice.get("/tickets/" + id);
              return r.status() == 200 && status.equals(r.json().path("status").asText());
            });
    return services.backoffice.get("/tickets/" + id).json();
  }
}
