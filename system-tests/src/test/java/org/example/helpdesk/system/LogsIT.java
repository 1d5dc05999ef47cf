package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestEmployees;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The logs of a full run, from the packaged nodes as processes: with {@code LOG_FORMAT=json} every
 * line is a JSON object (level, logger, message, MDC entries as fields; the inbox's lines name the
 * ticket); and no database or broker password is ever printed, neither in a normal run (a report
 * that becomes a ticket, a failed sign-in, a command dead-lettered) nor when a node cannot start (a
 * database URL with the password in it that is no JDBC URL) or cannot log in to the broker.
 */
class LogsIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LOGS = ROOT.resolve("system-tests/target/logs-it");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String dbPassword = "S3cret-db-" + run;
  private final String urlPassword = "S3cret-url-" + run;
  private final String brokerPassword = "S3cret-mq-" + run;
  private final String wrongBrokerPassword = "S3cret-wrongmq-" + run;
  private final String sessionSecret = "S3cret-session-of-at-least-32-bytes-" + run;
  private final String role = "helpdesk_logs_" + run;

  @Test
  void jsonLinesWithTheTicketAndNoSecretAnywhere() throws Exception {
    String customerSchema = TestPostgres.newSchemaName("customer");
    String backofficeSchema = TestPostgres.newSchemaName("backoffice");
    sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + dbPassword + "'");
    sql("CREATE SCHEMA " + customerSchema + " AUTHORIZATION " + role);
    sql("CREATE SCHEMA " + backofficeSchema + " AUTHORIZATION " + role);
    sql("CREATE SCHEMA " + customerSchema + "_refused AUTHORIZATION " + role);
    String amqp = brokerUriWithOwnUser();
    TestBroker.deleteQueuesAndExchanges(InboxQueues.all(), List.of());
    List<NodeProcess> nodes = new ArrayList<>();
    try {
      String url = TestPostgres.jdbcUrl();
      // the backoffice: JSON lines; the password in the URL (JDBC parameter) and in
      // DATABASE_PASSWORD
      Map<String, String> backofficeEnv = env(backofficeSchema, amqp);
      backofficeEnv.put("LOG_FORMAT", "json");
      backofficeEnv.put(
          "DATABASE_URL",
          url + (url.contains("?") ? "&" : "?") + "user=" + role + "&password=" + dbPassword);
      NodeProcess backoffice = node("backoffice-node", "backoffice", backofficeEnv);
      // the customer: text, the password in DATABASE_PASSWORD
      NodeProcess customer = node("customer-node", "customer", env(customerSchema, amqp));
      // a node that cannot start: a DATABASE_URL with user and password that is no JDBC URL
      Map<String, String> unusableEnv = env(customerSchema, amqp);
      URI db = URI.create(url.substring("jdbc:".length()));
      unusableEnv.put(
          "DATABASE_URL",
          "postgres://"
              + role
              + ":"
              + urlPassword
              + "@"
              + db.getHost()
              + ":"
              + db.getPort()
              + db.getPath());
      NodeProcess unusable = node("customer-node", "unusable-url", unusableEnv);
      // a node whose broker refuses its login
      Map<String, String> refusedEnv =
          env(customerSchema + "_refused", amqp.replace(brokerPassword, wrongBrokerPassword));
      refusedEnv.put("LOG_FORMAT", "json");
      NodeProcess refused = node("customer-node", "broker-refused", refusedEnv);
      nodes.addAll(List.of(backoffice, customer, unusable, refused));
      nodes.forEach(NodeProcess::start);
      backoffice.awaitHealthy(Duration.ofSeconds(90));
      customer.awaitHealthy(Duration.ofSeconds(90));
      refused.awaitHealthy(Duration.ofSeconds(90));

      HttpTestClient customerApi = new HttpTestClient("127.0.0.1", customer.httpPort);
      HttpTestClient backofficeApi = new HttpTestClient("127.0.0.1", backoffice.httpPort);
      HttpTestClient.Response reported =
          customerApi.postJson(
              "/issues", "{\"email\":\"logs@example.com\",\"content\":\"where are my logs\"}");
      assertEquals(201, reported.status(), reported.toString());
      String issueId = reported.json().path("issueId").asText();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> backofficeApi.get("/tickets").body().contains(issueId));
      assertEquals(
          401,
          backofficeApi
              .as(TestEmployees.OPERATOR, "not-the-" + dbPassword)
              .get("/tickets")
              .status());
      // a command the inbox rejects: logged with its ticket
      UUID unknownTicket = UUID.randomUUID();
      TestBroker.publish(
          "distributed.commands",
          "backoffice_service",
          new com.rabbitmq.client.AMQP.BasicProperties.Builder()
              .type("ticket.cancel")
              .messageId(unknownTicket + ":2")
              .build(),
          ("{\"ticketId\":\"" + unknownTicket + "\"}").getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> read(backoffice).contains(unknownTicket + ":2"));
      // the node with the wrong broker password has tried (and failed) to log in by now
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> refused.get("/health/ready").contains("DOWN"));
      await().atMost(Duration.ofSeconds(60)).until(() -> !unusable.isAlive());

      nodes.forEach(NodeProcess::stop);

      // JSON: every line an object with the fields, the inbox's line with the ticket
      List<String> lines = read(backoffice).lines().filter(l -> !l.isBlank()).toList();
      assertTrue(lines.size() > 10, "the backoffice logged " + lines.size() + " lines");
      JsonNode deadLettered = null;
      for (String line : lines) {
        JsonNode json;
        try {
          json = JSON.readTree(line);
        } catch (IOException e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
        assertTrue(json.isObject(), line);
        for (String field : List.of("timestamp", "level", "logger", "thread", "message")) {
          assertTrue(json.hasNonNull(field), field + " missing in " + line);
        }
        if (json.path("message").asText().startsWith("Dead-lettering message " + unknownTicket)) {
          deadLettered = json;
        }
      }
      assertTrue(deadLettered != null, "no dead-lettering line");
      assertEquals(
          unknownTicket.toString(),
          deadLettered.path("ticketId").asText(),
          deadLettered.toString());
      assertEquals("WARN", deadLettered.path("level").asText());
      String customerLog = read(customer);
      assertTrue(
          customerLog.contains(" INFO  ["),
          "the customer's lines are text: " + customerLog.lines().findFirst().orElse(""));
      String unusableLog = read(unusable);
      assertTrue(unusableLog.contains("could not start"), unusableLog);
      assertTrue(unusableLog.contains("postgres://" + role + ":***@"), unusableLog);

      // no secret, anywhere
      for (NodeProcess node : nodes) {
        String log = read(node);
        for (String secret :
            List.of(dbPassword, urlPassword, brokerPassword, wrongBrokerPassword, sessionSecret)) {
          assertFalse(
              log.contains(secret),
              node.name + " printed " + secret + ":\n" + excerpt(log, secret));
        }
      }
      assertNotEquals(0, read(refused).length());
    } finally {
      nodes.forEach(NodeProcess::close);
      TestPostgres.dropSchema(customerSchema);
      TestPostgres.dropSchema(backofficeSchema);
      TestPostgres.dropSchema(customerSchema + "_refused");
      sql("DROP ROLE IF EXISTS " + role);
      deleteBrokerUser();
    }
  }

  private Map<String, String> env(String schema, String amqp) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestPostgres.jdbcUrl());
    env.put("DATABASE_USER", role);
    env.put("DATABASE_PASSWORD", dbPassword);
    env.put("DATABASE_SCHEMA", schema);
    env.put("DATABASE_CONNECT_RETRIES", "1");
    env.put("AMQP_URI", amqp);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("EMPLOYEES", TestEmployees.ENTRIES);
    env.put("SESSION_SECRET", sessionSecret);
    return env;
  }

  private static NodeProcess node(String module, String name, Map<String, String> env) {
    int http = freePort();
    env.put("HTTP_PORT", String.valueOf(http));
    env.put("CLUSTER_PORT", String.valueOf(freePort()));
    Path log = LOGS.resolve(name + ".log");
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new NodeProcess(
        name, ROOT, module, http, List.of("-Xmx256m", "-XX:+UseSerialGC"), env, log);
  }

  private static String read(NodeProcess node) {
    try {
      Path log = LOGS.resolve(node.name + ".log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String excerpt(String log, String secret) {
    return log.lines().filter(l -> l.contains(secret)).limit(5).reduce("", (a, b) -> a + b + "\n");
  }

  /**
   * The test broker's URI with a user of this test's own whose password is {@link #brokerPassword}
   * (rabbitmqctl); where the broker cannot be administered so, its own user, and the password of
   * the URI is then no secret of this test (the other checks still hold).
   */
  private String brokerUriWithOwnUser() {
    String uri = TestBroker.amqpUri();
    String vhost = URI.create(uri).getRawPath().substring(1);
    String user = "helpdesk-logs-" + run;
    try {
      rabbitmqctl("add_user", user, brokerPassword);
      rabbitmqctl(
          "set_permissions", "-p", vhost.equals("%2f") ? "/" : vhost, user, ".*", ".*", ".*");
    } catch (IllegalStateException e) {
      System.out.println("[LogsIT] no broker user of our own: " + e.getMessage());
      return uri.replaceFirst("://[^@]*@", "://guest:" + brokerPassword + "@");
    }
    return uri.replaceFirst("://[^@]*@", "://" + user + ":" + brokerPassword + "@");
  }

  private void deleteBrokerUser() {
    try {
      rabbitmqctl("delete_user", "helpdesk-logs-" + run);
    } catch (IllegalStateException ignored) {
      // not created
    }
  }

  private static void rabbitmqctl(String... args) {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", args[0]) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("rabbitmqctl could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sql(String statement) {
    try (Connection c = TestPostgres.connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (Exception e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }

  private static int freePort() {
    return org.example.helpdesk.testsupport.FreePorts.next();
  }
}
