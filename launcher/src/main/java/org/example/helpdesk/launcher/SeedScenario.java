package org.example.helpdesk.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The seed's demonstration, against running nodes: a customer reports an issue, the backoffice
 * prepares a ticket for it, the customer closes the issue, the ticket is cancelled. Each step is
 * printed, and a step that does not happen in time fails the scenario.
 */
final class SeedScenario {

  /** A step did not happen as it should. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** HTTP Basic credentials of an employee: the backoffice's API is closed to strangers. */
  private final String backofficeAuthorization;

  private final String customer;
  private final String backoffice;
  private final Duration stepTimeout;
  private final PrintStream out;

  SeedScenario(
      String customerUrl,
      String backofficeUrl,
      String backofficeAuthorization,
      Duration stepTimeout,
      PrintStream out) {
    this.backofficeAuthorization = backofficeAuthorization;
    this.customer = customerUrl;
    this.backoffice = backofficeUrl;
    this.stepTimeout = stepTimeout;
    this.out = out;
  }

  void run() throws Failed {
    long start = System.nanoTime();
    out.println();
    out.println("Customer Service: a customer reports an issue");
    JsonNode reported =
        expect(
            201,
            post(
                customer + "/issues",
                "{\"email\":\"johny@example.com\",\"content\":\"Really important bug!\"}"));
    String id = reported.path("issueId").asText();
    out.println("  issue " + id + " reported (status " + reported.path("status").asText() + ")");
    JsonNode issue = expect(200, get(customer + "/issues/" + id));
    out.println(
        "  stored: "
            + issue.path("email").asText()
            + " - \""
            + issue.path("content").asText()
            + "\"");

    out.println(
        "Backoffice Service: the ticket is prepared (prepareTicket over the outbox and RabbitMQ)");
    JsonNode ticket =
        awaitTicket(id, t -> "awaiting".equals(t.path("status").asText()), "status awaiting");
    out.println(
        "  ticket "
            + id
            + ": status "
            + ticket.path("status").asText()
            + ", type "
            + ticket.path("ticketType").asText()
            + ", prepared at "
            + ticket.path("preparedAt").asText());
    if (!"customer-issue".equals(ticket.path("ticketType").asText())
        || !"Really important bug!".equals(ticket.path("description").asText())) {
      throw new Failed("the ticket does not carry the issue: " + ticket);
    }

    out.println(
        "Customer Service: the customer closes the issue (twice; the second close changes nothing)");
    expect(200, post(customer + "/issues/" + id + "/close", ""));
    JsonNode closed = expect(200, post(customer + "/issues/" + id + "/close", ""));
    out.println("  issue " + id + " " + closed.path("status").asText());

    out.println(
        "Backoffice Service: the ticket is cancelled (cancel over the outbox and RabbitMQ)");
    JsonNode cancelled =
        awaitTicket(id, t -> "cancelled".equals(t.path("status").asText()), "status cancelled");
    out.println("  ticket " + id + ": status " + cancelled.path("status").asText());
    out.printf("Scenario passed in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private JsonNode awaitTicket(String id, Predicate<JsonNode> done, String what) throws Failed {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = get(backoffice + "/tickets/" + id);
      if (last != null && last.statusCode() == 200) {
        JsonNode ticket = parse(last);
        if (done.test(ticket)) {
          return ticket;
        }
      }
      sleep(100);
    }
    throw new Failed(
        "ticket "
            + id
            + " did not reach "
            + what
            + " within "
            + stepTimeout.toSeconds()
            + " s; last answer: "
            + (last == null ? "none" : last.statusCode() + " " + last.body()));
  }

  private JsonNode expect(int status, HttpResponse<String> response) throws Failed {
    if (response == null || response.statusCode() != status) {
      throw new Failed(
          "expected HTTP "
              + status
              + " but got "
              + (response == null ? "no answer" : response.statusCode() + " " + response.body()));
    }
    return parse(response);
  }

  private JsonNode parse(HttpResponse<String> response) throws Failed {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Failed("not JSON: " + response.body());
    }
  }

  private HttpResponse<String> get(String uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).GET();
    if (uri.startsWith(backoffice)) {
      request.header("Authorization", backofficeAuthorization);
    }
    return send(request);
  }

  private HttpResponse<String> post(String uri, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(uri))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
