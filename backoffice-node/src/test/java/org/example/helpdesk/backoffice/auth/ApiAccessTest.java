package org.example.helpdesk.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may call the JSON API: HTTP Basic against the configured employees, by role. */
class ApiAccessTest {

  /** An agent whose account the throttle test blocks (the test employees stay usable). */
  private static final String TESS = "tess";

  private static final String TESS_PASSWORD = "tess-password";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.auth.employees",
                      TestEmployees.ENTRIES
                          + " "
                          + BackofficeTestNode.employee(TESS, "agent", TESS_PASSWORD),
                  // long enough that the blocked account is still blocked when asked again
                  "helpdesk.auth.base-delay", "60s",
                  // (every test guesses from loopback: the address-wide limit is AbuseTest's)
                  "helpdesk.auth.free-failures-per-address", "1000",
                  "helpdesk.auth.free-failures-per-account", "1000",
                  // also on this host's other addresses: /metrics from elsewhere than loopback
                  "helpdesk.http.host", "0.0.0.0")));

  private static HttpTestClient operator;
  private static HttpTestClient agent;

  /** One request per route of the API (the documentation test checks that this is all of them). */
  record Call(String method, String path, String json) {
    Response by(HttpTestClient client) {
      return json == null
          ? client.send(method, path, null, null)
          : client.send(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final String TICKET = "/tickets/" + UUID.randomUUID();

  private static final List<Call> TICKET_ROUTES =
      List.of(
          new Call("GET", "/tickets", null),
          new Call("POST", "/tickets", "{\"ticketType\":\"internal\",\"description\":\"d\"}"),
          new Call("GET", TICKET, null),
          new Call("POST", TICKET + "/assign", "{\"assignee\":\"alice\"}"),
          new Call("POST", TICKET + "/cancel", null));

  private static final List<Call> DEAD_LETTER_ROUTES =
      List.of(
          new Call("GET", "/dead-letters", null),
          new Call("GET", "/dead-letters/1", null),
          new Call("DELETE", "/dead-letters/1", null),
          new Call("POST", "/dead-letters/1/replay", null));

  @BeforeAll
  static void start() {
    operator = node.http;
    agent = node.http.as(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
  }

  static List<Call> allRoutes() {
    return java.util.stream.Stream.concat(TICKET_ROUTES.stream(), DEAD_LETTER_ROUTES.stream())
        .toList();
  }

  static List<Call> deadLetterRoutes() {
    return DEAD_LETTER_ROUTES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allRoutes")
  void withoutCredentialsEveryRouteAnswers401WithAJsonErrorAndAChallenge(Call call) {
    Response r = call.by(operator.anonymous());

    assertEquals(401, r.status(), () -> call + ": " + r);
    assertTrue(r.json().path("error").asText().contains("sign in"), () -> call + ": " + r);
    String challenge = r.header("WWW-Authenticate");
    assertNotNull(challenge, () -> call + " has no WWW-Authenticate");
    assertTrue(challenge.startsWith("Basic realm="), challenge);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allRoutes")
  void aWrongPasswordIs401OnEveryRoute(Call call) {
    Response wrong = call.by(operator.as(TestEmployees.OPERATOR, "not-the-password"));
    assertEquals(401, wrong.status(), () -> call + ": " + wrong);
    assertEquals("wrong name or password", wrong.json().path("error").asText());
    assertNotNull(wrong.header("WWW-Authenticate"));
    // (a success from this address clears the account's failures from it: the next call's
    // wrong password is the first again)
    assertEquals(200, operator.get("/tickets?limit=1").status());
  }

  @Test
  void anUnknownEmployeeOrAnotherEmployeesPasswordIs401() {
    assertEquals(
        401, operator.as("nobody", TestEmployees.OPERATOR_PASSWORD).get("/tickets").status());
    assertEquals(
        401,
        operator.as(TestEmployees.AGENT, TestEmployees.OPERATOR_PASSWORD).get("/tickets").status());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedCredentials")
  void malformedCredentialsAre401NotAnError(String name, String header) {
    var r = node.browser().get("/tickets", "Authorization", header);
    assertEquals(401, r.status(), () -> header + ": " + r);
    assertTrue(r.json().has("error"), r::toString);
    assertEquals(
        200, operator.get("/tickets?limit=1").status(), "(clears the operator's failures)");
  }

  static Stream<Arguments> malformedCredentials() {
    return Stream.of(
        Arguments.of("Basic, not base64", "Basic !!!not-base64!!!"),
        Arguments.of(
            "Basic, without a colon",
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("Basic, empty", "Basic "),
        Arguments.of("Bearer", "Bearer some-token"),
        Arguments.of(
            "Basic, a 300-character password",
            HttpTestClient.basic(TestEmployees.OPERATOR, "x".repeat(300))),
        Arguments.of("Basic, a 300-character name", HttpTestClient.basic("x".repeat(300), "y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deadLetterRoutes")
  void anAgentMayNotUseTheDeadLetters(Call call) {
    Response r = call.by(agent);
    assertEquals(403, r.status(), () -> call + ": " + r);
    assertTrue(r.json().path("error").asText().contains("needs the role operator"), r::toString);
    assertEquals(null, r.header("WWW-Authenticate"), "signed in: no challenge");
  }

  @Test
  void anAgentMayUseTheTickets() {
    assertEquals(200, agent.get("/tickets").status());
    Response created =
        agent.postJson("/tickets", "{\"ticketType\":\"internal\",\"description\":\"by an agent\"}");
    assertEquals(201, created.status(), created::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allRoutes")
  void theOperatorMayUseEveryRoute(Call call) {
    Response r = call.by(operator);
    // (the ticket and the dead letter do not exist: 404 past the access check)
    assertTrue(List.of(200, 201, 404).contains(r.status()), () -> call + ": " + r);
  }

  @Test
  void theOperatorListsTheTicketsAndTheDeadLetters() {
    assertEquals(200, operator.get("/tickets").status());
    assertEquals(200, operator.get("/dead-letters").status());
  }

  @Test
  void healthStaysOpenAndMetricsAreOpenOnTheLoopbackAddress() {
    HttpTestClient stranger = operator.anonymous();
    assertEquals(200, stranger.get("/health/live").status());
    assertTrue(List.of(200, 503).contains(stranger.get("/health/ready").status()));
    assertTrue(List.of(200, 503).contains(stranger.get("/health").status()));
    Response metrics = stranger.get("/metrics");
    assertEquals(200, metrics.status(), metrics::toString);
    assertTrue(metrics.body().contains("helpdesk_"), "the node's own metrics");
    // what a client claims about its address does not matter: the connection's peer does
    var forwarded =
        node.browser()
            .get("/metrics", "X-Forwarded-For", "203.0.113.7", "X-Real-Ip", "203.0.113.7");
    assertEquals(200, forwarded.status());
  }

  @Test
  void metricsFromAnotherAddressNeedTheSignIn() {
    Optional<InetAddress> other = BackofficeTestNode.nonLoopbackAddress();
    Assumptions.assumeTrue(other.isPresent(), "this host has no address but loopback");
    String base = "http://" + other.get().getHostAddress() + ":" + node.port();
    Browser elsewhere = new Browser(base);

    Browser.Page stranger = elsewhere.get("/metrics");
    assertEquals(401, stranger.status(), stranger::toString);
    assertNotNull(stranger.header("WWW-Authenticate"));
    assertEquals(
        401,
        elsewhere
            .get("/metrics", "X-Forwarded-For", "127.0.0.1", "X-Real-Ip", "127.0.0.1")
            .status(),
        "a claimed address is no address");
    assertEquals(200, elsewhere.get("/health/live").status(), "health stays open");
    assertEquals(
        200,
        elsewhere
            .get(
                "/metrics",
                "Authorization",
                HttpTestClient.basic(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD))
            .status());
    elsewhere.signIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    assertEquals(200, elsewhere.get("/metrics").status(), "the console's session");
  }

  @Test
  void repeatedWrongPasswordsMakeThatAccountWaitWhileOthersStillWork() {
    HttpTestClient guesser = operator.as(TESS, "guess");
    for (int i = 0; i < 3; i++) {
      Response r = guesser.get("/tickets");
      assertEquals(401, r.status(), () -> "failure " + r);
    }

    Response refused = guesser.get("/tickets");
    assertEquals(429, refused.status(), refused::toString);
    assertTrue(
        refused.json().path("error").asText().contains("too many failed sign-ins"),
        refused::toString);
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    // even the right password waits from this address: guessing it must not end the wait
    // (from an address that has not failed it gets in: see AbuseTest)
    assertEquals(429, operator.as(TESS, TESS_PASSWORD).get("/tickets").status());
    // the sign-in page says the same
    var page = node.browser().signInAttempt(TESS, TESS_PASSWORD);
    assertEquals(429, page.status(), page::toString);
    assertTrue(page.body().contains("Too many failed sign-ins"), page::toString);

    assertEquals(200, operator.get("/tickets").status(), "another account from the same address");
    assertEquals(200, agent.get("/tickets").status());
  }
}
