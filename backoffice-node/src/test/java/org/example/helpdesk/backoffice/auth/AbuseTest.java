package org.example.helpdesk.backoffice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.AMQP;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.backoffice.inbox.CommandConsumer;
import org.example.helpdesk.backoffice.ticket.web.TicketChanges;
import org.example.helpdesk.platform.logging.LogEncoder;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The cheap attacks on a backoffice node, run from outside over HTTP (and AMQP), each asserting
 * what it gets now. Clients are told apart by their source address: 127.0.0.2 is the attacker,
 * 127.0.0.3 the employee (both loopback, so the node also listens for them on 127.0.0.1). See
 * docs/security.md.
 */
class AbuseTest {

  /** The demo operator of ./run.sh: its name is known to everyone. */
  private static final String DEMO = "demo";

  private static final String DEMO_PASSWORD = "demo-password-right";
  private static final String ATTACKER = "127.0.0.2";
  private static final String EMPLOYEE = "127.0.0.3";
  private static final String PROXY = "127.0.0.9";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.auth.employees",
                  TestEmployees.ENTRIES
                      + " "
                      + BackofficeTestNode.employee(DEMO, "operator", DEMO_PASSWORD),
                  // every refused guess stays refused for the whole burst
                  "helpdesk.auth.base-delay",
                  "60s",
                  // a reverse proxy on this host
                  "helpdesk.auth.trusted-proxies",
                  PROXY)));

  private static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private static final Logger inboxLog = (Logger) LoggerFactory.getLogger(CommandConsumer.class);

  @BeforeAll
  static void listen() {
    lines.start();
    inboxLog.addAppender(lines);
  }

  @AfterAll
  static void stopListening() {
    inboxLog.detachAppender(lines);
  }

  @Test
  void aBurstOfGuessesGetsTheFreeChecksOnlyAndTheEmployeeElsewhereGetsIn() throws Exception {
    int burst = 60;
    // an agent signed in before (its credentials are cached) works on during the burst
    String agent = HttpTestClient.basic(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    assertEquals(
        200,
        FromAddress.send(ATTACKER, node.port(), "GET", "/tickets", "Authorization", agent)
            .status());
    ExecutorService pool = Executors.newFixedThreadPool(burst + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<FromAddress.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      String guess = "guess-" + i;
      replies.add(
          pool.submit(
              () -> {
                go.await();
                return FromAddress.send(
                    ATTACKER,
                    node.port(),
                    "GET",
                    "/tickets",
                    "Authorization",
                    HttpTestClient.basic(DEMO, guess));
              }));
    }
    Future<Integer> agentDuringBurst =
        pool.submit(
            () -> {
              go.await();
              return FromAddress.send(
                      ATTACKER, node.port(), "GET", "/tickets", "Authorization", agent)
                  .status();
            });
    go.countDown();
    assertEquals(200, agentDuringBurst.get(), "cached credentials do not wait for the burst");
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<FromAddress.Reply> r : replies) {
      FromAddress.Reply reply = r.get();
      statuses.merge(reply.status(), 1, Integer::sum);
      if (reply.status() != 401) {
        assertTrue(reply.header("Retry-After") != null, reply::toString);
      }
    }
    pool.shutdown();
    // every 401 is a password check that ran; 429 and 503 are answers without one
    int checks = statuses.getOrDefault(401, 0);
    assertTrue(checks <= 3, "password checks of the burst: " + statuses);
    assertEquals(
        burst,
        checks + statuses.getOrDefault(429, 0) + statuses.getOrDefault(503, 0),
        statuses::toString);
    System.out.println("[AbuseTest] burst of " + burst + " guesses got " + statuses);

    // the attacker's address waits, even with the right password ...
    assertEquals(429, demoFrom(ATTACKER).status());
    // ... the employee from an address that has not failed gets in, by Basic and by the form
    FromAddress.Reply employee = demoFrom(EMPLOYEE);
    assertEquals(200, employee.status(), employee::toString);
    assertEquals(
        200,
        FromAddress.send(
                "127.0.0.4",
                node.port(),
                "GET",
                "/tickets",
                "Authorization",
                HttpTestClient.basic(DEMO, DEMO_PASSWORD))
            .status());
  }

  @Test
  void behindATrustedProxyTheThrottleTellsItsClientsApart() {
    String wrong = HttpTestClient.basic(TestEmployees.AGENT, "proxied-guess");
    for (int i = 0; i < 3; i++) {
      assertEquals(401, viaProxy(PROXY, "10.9.9.1", wrong).status());
    }
    assertEquals(429, viaProxy(PROXY, "10.9.9.1", wrong).status(), "the guesser waits");
    String right = HttpTestClient.basic(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    assertEquals(
        200,
        viaProxy(PROXY, "10.9.9.2", right).status(),
        "another client of the same proxy does not");
    // from anyone but the proxy the header is ignored: it cannot invent fresh addresses
    String other = HttpTestClient.basic(TestEmployees.OPERATOR, "forged-guess");
    for (int i = 0; i < 3; i++) {
      assertEquals(401, viaProxy("127.0.0.6", "10.9.8." + i, other).status());
    }
    assertEquals(429, viaProxy("127.0.0.6", "10.9.8.99", other).status());
  }

  private static FromAddress.Reply viaProxy(String from, String client, String authorization) {
    return FromAddress.send(
        from,
        node.port(),
        "GET",
        "/tickets",
        "Authorization",
        authorization,
        "X-Forwarded-For",
        "203.0.113.7, " + client);
  }

  @Test
  void namesThatAreNoEmployeeNamesAreRefusedBeforeAnythingAndKeptNowhere() {
    String huge = "x".repeat(5_000);
    for (int i = 0; i < 30; i++) {
      FromAddress.Reply r =
          FromAddress.send(
              "127.0.0.5",
              node.port(),
              "GET",
              "/tickets",
              "Authorization",
              HttpTestClient.basic(huge + i, "p"));
      assertEquals(401, r.status(), r::toString);
    }
    // not one of them counted: the address may still try its free guesses
    FromAddress.Reply r =
        FromAddress.send(
            "127.0.0.5",
            node.port(),
            "GET",
            "/tickets",
            "Authorization",
            HttpTestClient.basic(TestEmployees.AGENT, "wrong"));
    assertEquals(401, r.status(), r::toString);
  }

  @Test
  void readinessProbesOpenNoBrokerConnections() throws Exception {
    var amqp = node.node.node().amqp();
    await().atMost(Duration.ofSeconds(20)).until(amqp::hasOpenConnection);
    long before = amqp.connectionsOpened();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    HttpTestClient anonymous = node.http.anonymous();
    List<Future<Integer>> statuses = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      statuses.add(pool.submit(() -> anonymous.get("/health/ready").status()));
    }
    for (Future<Integer> s : statuses) {
      assertEquals(200, s.get());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    pool.shutdown();
    long opened = amqp.connectionsOpened() - before;
    System.out.println(
        "[AbuseTest] 1000 readiness probes in "
            + millis
            + " ms opened "
            + opened
            + " broker connection(s)");
    assertEquals(0, opened, "broker connections opened by 1,000 probes");
  }

  @Test
  void aFloodOfScrapesRunsNoQueries() throws Exception {
    var sql = node.node.node().metrics().sql();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    HttpTestClient anonymous = node.http.anonymous();
    long queriesBefore = sql.queriesRun();
    long start = System.nanoTime();
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      statuses.add(pool.submit(() -> anonymous.get("/metrics").status()));
    }
    for (Future<Integer> s : statuses) {
      assertEquals(200, s.get());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    pool.shutdown();
    long queries = sql.queriesRun() - queriesBefore;
    // the background reads every 2 s, however many scrapes came
    long rounds = millis / 2_000 + 2;
    System.out.println(
        "[AbuseTest] 500 scrapes in " + millis + " ms; metric queries meanwhile: " + queries);
    assertTrue(
        queries <= rounds * sql.queriesPerRound(),
        queries + " queries in " + millis + " ms, " + sql.queriesPerRound() + " a round");
    assertEquals(0, node.node.node().database().waitingCalls(), "nothing waits for a JDBC thread");
  }

  @Test
  void aCrossSitePostWithBasicCredentialsChangesNothing() {
    String basic = HttpTestClient.basic(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    int ticketsBefore = node.http.get("/tickets?limit=500").json().size();
    String create = "{\"ticketType\":\"internal\",\"description\":\"from evil.example\"}";

    for (String[] browser :
        List.of(
            new String[] {"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"},
            new String[] {"Origin", "http://evil.example"},
            new String[] {"Sec-Fetch-Site", "same-site"},
            new String[] {"Origin", "null"})) {
      Response r =
          node.http.send("POST", "/tickets", "application/json", create.getBytes(UTF_8), browser);
      assertEquals(403, r.status(), () -> String.join(" ", browser) + ": " + r);
      assertTrue(r.json().path("error").asText().contains("another site"), r::toString);
      Response pause =
          node.http.send("POST", "/admin/projections/tickets/pause", null, new byte[0], browser);
      assertEquals(403, pause.status(), pause::toString);
      Response replay =
          node.http.send("POST", "/dead-letters/1/replay", null, new byte[0], browser);
      assertEquals(403, replay.status(), replay::toString);
    }
    assertEquals(
        ticketsBefore, node.http.get("/tickets?limit=500").json().size(), "no ticket made");
    node.http
        .get("/admin/projections")
        .json()
        .path("projections")
        .get(0)
        .path("instances")
        .forEach(i -> assertEquals("running", i.path("state").asText(), i::toString));

    // a client that is no browser sends neither header; the node's own pages send its origin
    assertEquals(201, node.http.postJson("/tickets", create).status());
    assertEquals(
        201,
        node.http
            .send(
                "POST",
                "/tickets",
                "application/json",
                create.getBytes(UTF_8),
                "Origin",
                "http://127.0.0.1:" + node.port(),
                "Sec-Fetch-Site",
                "same-origin")
            .status());
    assertTrue(basic.startsWith("Basic "));
  }

  @Test
  void consolePagesAreNotKeptByTheBrowserAndLiveStreamsAreCappedPerSession() {
    Browser browser = node.browser().signIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    Browser.Page tickets = browser.get("/console/tickets");
    assertEquals(200, tickets.status());
    assertEquals("no-store", tickets.header("Cache-Control"));
    assertEquals("no-store", node.http.get("/tickets").header("Cache-Control"));

    String cookie = browser.cookieHeader();
    List<FromAddress.Stream> open = new ArrayList<>();
    try {
      for (int i = 0; i < TicketChanges.MAX_STREAMS_PER_SESSION; i++) {
        FromAddress.Stream stream =
            FromAddress.stream(EMPLOYEE, node.port(), "/console/events", "Cookie", cookie);
        open.add(stream);
        assertEquals(200, stream.status(), "live page " + i);
      }
      FromAddress.Stream refused =
          FromAddress.stream(EMPLOYEE, node.port(), "/console/events", "Cookie", cookie);
      refused.close();
      assertEquals(429, refused.status(), "one live page more than a session may have");
      // one closed: room for another, once the node has seen the stream end (at the latest when
      // a heartbeat, every 15 s, finds the connection gone)
      open.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                FromAddress.Stream again =
                    FromAddress.stream(EMPLOYEE, node.port(), "/console/events", "Cookie", cookie);
                if (again.status() == 200) {
                  open.add(again);
                  return true;
                }
                again.close();
                return false;
              });
    } finally {
      open.forEach(FromAddress.Stream::close);
    }
  }

  @Test
  void anAmqpMessageIdWithCrLfCannotForgeALogLine() {
    String forged = "2026-01-01 00:00:00.000 ERROR [main] o.e.h.Forged - operator password reset";
    String messageId = "evil-" + UUID.randomUUID() + "\r\n" + forged;
    BackofficeTestNode.publishRaw(
        new AMQP.BasicProperties.Builder()
            .type("CancelTicket")
            .messageId(messageId)
            .deliveryMode(2)
            .build(),
        "{not json".getBytes(UTF_8));
    ILoggingEvent line =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  synchronized (lines) {
                    return lines.list.stream()
                        .filter(e -> e.getFormattedMessage().contains(forged))
                        .findFirst();
                  }
                },
                java.util.Optional::isPresent)
            .orElseThrow();
    LogEncoder encoder = new LogEncoder();
    encoder.start();
    String text = new String(encoder.encode(line), UTF_8);
    String[] written = text.split("\r\n|\r|\n");
    assertEquals(1, written.length, "one line, not two: " + text);
    assertFalse(written[0].startsWith(forged));
    assertTrue(written[0].contains("\\r\\n" + forged), text);
  }

  private static FromAddress.Reply demoFrom(String address) {
    return FromAddress.send(
        address,
        node.port(),
        "GET",
        "/tickets",
        "Authorization",
        HttpTestClient.basic(DEMO, DEMO_PASSWORD));
  }
}
