package org.example.helpdesk.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.example.helpdesk.platform.support.StartupFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link ConfigValidator}: a value as an operator would set it (a string, as the
 * environment gives it), and the problem it must be reported as; and all problems at once.
 */
class ConfigValidatorTest {

  /** A node's settings with these (string) values, as the environment would give them. */
  private static Config settings(Map<String, String> values) {
    Map<String, Object> base = new HashMap<>();
    base.put("helpdesk.service-name", "validator-test");
    base.put("helpdesk.defaults.http-port", 8081);
    base.put("helpdesk.defaults.cluster-port", 2551);
    base.put("helpdesk.defaults.database-schema", "customer");
    return ConfigFactory.load(
        ConfigFactory.parseMap(values)
            .withFallback(ConfigFactory.parseMap(base))
            .withFallback(ConfigFactory.parseResourcesAnySyntax("helpdesk-node")));
  }

  private static Config backoffice(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(values);
    all.putIfAbsent("helpdesk.auth.session-secret", "");
    all.putIfAbsent("helpdesk.auth.session-ttl", "8h");
    all.putIfAbsent("helpdesk.auth.secure-cookie", "false");
    all.putIfAbsent("helpdesk.auth.employees-file", "");
    all.putIfAbsent("helpdesk.inbox.max-message-bytes", "1 MiB");
    all.putIfAbsent("helpdesk.inbox.attempts", "10");
    return settings(all);
  }

  @Test
  void theDefaultsAreValid() {
    assertEquals(List.of(), ConfigValidator.problems(settings(Map.of())));
    assertEquals(List.of(), ConfigValidator.problems(backoffice(Map.of())));
  }

  @Test
  void goodValuesAsTheEnvironmentGivesThem() {
    assertEquals(
        List.of(),
        ConfigValidator.problems(
            backoffice(
                Map.ofEntries(
                    Map.entry("helpdesk.http.port", "18081"),
                    Map.entry("helpdesk.http.host", "127.0.0.1"),
                    Map.entry("helpdesk.http.ask-timeout", "750ms"),
                    Map.entry(
                        "helpdesk.database.url",
                        "jdbc:postgresql://127.0.0.1:5432/helpdesk?password=S3cret-x"),
                    Map.entry("helpdesk.database.connect-retries", "0"),
                    Map.entry("helpdesk.amqp.uri", "amqps://u:p%40ss@localhost:5671/vh"),
                    Map.entry("helpdesk.cluster.host", "localhost"),
                    Map.entry("helpdesk.cluster.port", "0"),
                    Map.entry("helpdesk.cluster.seed-nodes", "127.0.0.1:2551, localhost:2561"),
                    Map.entry("helpdesk.auth.session-secret", "x".repeat(32)),
                    Map.entry("pekko.loglevel", "warn")))));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("HTTP_PORT not a number", "helpdesk.http.port", "abc", "HTTP_PORT='abc'", "port"),
        bad("ADMIN_TOKEN too short", "helpdesk.admin.token", "short-one", "ADMIN_TOKEN", "16"),
        bad(
            "SMTP_URL not smtp",
            "helpdesk.mail.smtp-url",
            "http://mail.example.org",
            "SMTP_URL (helpdesk.mail.smtp-url)",
            "smtp:// or smtps://"),
        bad(
            "SMTP_URL port out of range, password not shown",
            "helpdesk.mail.smtp-url",
            "smtp://ada:S3cret@mail.example.org:99999",
            "SMTP_URL (helpdesk.mail.smtp-url)",
            "1-65535"),
        bad(
            "TRUSTED_PROXIES a name",
            "helpdesk.auth.trusted-proxies",
            "10.0.0.1, proxy.example",
            "TRUSTED_PROXIES='10.0.0.1, proxy.example'",
            "not an IP address"),
        bad("HTTP_PORT out of range", "helpdesk.http.port", "99999", "HTTP_PORT='99999'", "port"),
        bad("HTTP_PORT negative", "helpdesk.http.port", "-1", "HTTP_PORT='-1'", "port"),
        bad(
            "HTTP_HOST no IPv4 address",
            "helpdesk.http.host",
            "999.1.1.1",
            "HTTP_HOST='999.1.1.1'",
            "not an IPv4 address"),
        bad(
            "HTTP_HOST unresolvable",
            "helpdesk.http.host",
            "no-such-host.invalid",
            "HTTP_HOST='no-such-host.invalid'",
            "no such host"),
        bad(
            "HTTP_HOST of another machine",
            "helpdesk.http.host",
            "192.0.2.1",
            "HTTP_HOST='192.0.2.1'",
            "not an address of this machine"),
        bad(
            "HTTP_ASK_TIMEOUT no duration",
            "helpdesk.http.ask-timeout",
            "abc",
            "HTTP_ASK_TIMEOUT='abc'",
            "not a duration"),
        bad(
            "HTTP_ASK_TIMEOUT zero",
            "helpdesk.http.ask-timeout",
            "0s",
            "HTTP_ASK_TIMEOUT='0s'",
            "positive"),
        bad(
            "DATABASE_URL postgres:// form",
            "helpdesk.database.url",
            "postgres://u:S3cret-pw@db:5432/helpdesk",
            "DATABASE_URL='postgres://u:***@db:5432/helpdesk'",
            "jdbc:postgresql://host:port/database"),
        bad(
            "DATABASE_URL another database",
            "helpdesk.database.url",
            "jdbc:mysql://db/helpdesk",
            "DATABASE_URL",
            "not a PostgreSQL JDBC URL"),
        bad(
            "DATABASE_URL port no number",
            "helpdesk.database.url",
            "jdbc:postgresql://db:port/helpdesk",
            "DATABASE_URL",
            "port a number"),
        bad("DATABASE_USER empty", "helpdesk.database.user", "", "DATABASE_USER", "empty"),
        bad(
            "DATABASE_SCHEMA not an identifier",
            "helpdesk.database.schema",
            "Customer-1",
            "DATABASE_SCHEMA='Customer-1'",
            "SQL identifier"),
        bad(
            "DATABASE_POOL_SIZE zero",
            "helpdesk.database.pool-size",
            "0",
            "DATABASE_POOL_SIZE='0'",
            "at least 1"),
        bad(
            "DATABASE_CONNECT_RETRIES no number",
            "helpdesk.database.connect-retries",
            "five",
            "DATABASE_CONNECT_RETRIES='five'",
            "whole number"),
        bad(
            "DATABASE_CONNECT_TIMEOUT with a unit",
            "helpdesk.database.connect-timeout",
            "5s",
            "DATABASE_CONNECT_TIMEOUT='5s'",
            "whole number"),
        bad(
            "DATABASE_CONNECTION_TIMEOUT no duration",
            "helpdesk.database.connection-timeout",
            "soon",
            "DATABASE_CONNECTION_TIMEOUT='soon'",
            "not a duration"),
        bad(
            "DATABASE_STATEMENT_TIMEOUT above the socket timeout",
            "helpdesk.database.statement-timeout",
            "60",
            "DATABASE_STATEMENT_TIMEOUT",
            "shorter than DATABASE_SOCKET_TIMEOUT"),
        bad(
            "AMQP_URI port no number",
            "helpdesk.amqp.uri",
            "amqp://probeuser:S3cret-mq@127.0.0.1:notaport/probe_vh",
            "AMQP_URI='amqp://probeuser:***@127.0.0.1:notaport/probe_vh'",
            "the port 'notaport' is not a number"),
        bad(
            "AMQP_URI other scheme",
            "helpdesk.amqp.uri",
            "http://localhost:5672/",
            "AMQP_URI",
            "amqp://"),
        bad("AMQP_URI no host", "helpdesk.amqp.uri", "amqp:///vh", "AMQP_URI", "no host"),
        bad(
            "AMQP_URI port out of range",
            "helpdesk.amqp.uri",
            "amqp://localhost:70000/",
            "AMQP_URI",
            "not between 1 and 65535"),
        bad(
            "AMQP_URI vhost of two segments",
            "helpdesk.amqp.uri",
            "amqp://localhost/a/b",
            "AMQP_URI",
            "one path segment"),
        bad(
            "CLUSTER_HOST unresolvable",
            "helpdesk.cluster.host",
            "999.1.1.1",
            "CLUSTER_HOST='999.1.1.1'",
            "IPv4"),
        bad(
            "CLUSTER_HOST of another machine",
            "helpdesk.cluster.host",
            "192.0.2.1",
            "CLUSTER_HOST='192.0.2.1'",
            "not an address of this machine"),
        bad("CLUSTER_PORT no number", "helpdesk.cluster.port", "x", "CLUSTER_PORT='x'", "port"),
        bad(
            "CLUSTER_BIND_HOST of another machine",
            "pekko.remote.artery.bind.hostname",
            "192.0.2.1",
            "CLUSTER_BIND_HOST",
            "not an address of this machine"),
        bad(
            "SEED_NODES without port",
            "helpdesk.cluster.seed-nodes",
            "127.0.0.1:2551,node2",
            "SEED_NODES",
            "'node2' is not host:port"),
        bad(
            "SEED_NODES port no number",
            "helpdesk.cluster.seed-nodes",
            "node1:abc",
            "SEED_NODES",
            "is not a number"),
        bad(
            "CLUSTER_STABLE_AFTER no duration",
            "pekko.cluster.split-brain-resolver.stable-after",
            "long",
            "CLUSTER_STABLE_AFTER",
            "not a duration"),
        bad(
            "ENTITY_LIMIT zero",
            "pekko.cluster.sharding.passivation.helpdesk-passivation.active-entity-limit",
            "0",
            "ENTITY_LIMIT",
            "at least 1"),
        bad(
            "DURABLE_STATE_LANES no number",
            "helpdesk-durable-state-store.lanes",
            "two",
            "DURABLE_STATE_LANES",
            "whole number"),
        bad("LOG_LEVEL unknown", "pekko.loglevel", "LOUD", "LOG_LEVEL='LOUD'", "not a log level"),
        bad(
            "SESSION_SECRET too short (never shown)",
            "helpdesk.auth.session-secret",
            "S3cret-session",
            "SESSION_SECRET",
            "at least 32 bytes"),
        bad(
            "SESSION_TTL no duration",
            "helpdesk.auth.session-ttl",
            "a day",
            "SESSION_TTL",
            "not a duration"),
        bad(
            "SESSION_COOKIE_SECURE no boolean",
            "helpdesk.auth.secure-cookie",
            "maybe",
            "SESSION_COOKIE_SECURE",
            "neither true nor false"),
        bad(
            "EMPLOYEES_FILE missing",
            "helpdesk.auth.employees-file",
            "/no/such/employees.txt",
            "EMPLOYEES_FILE",
            "no such file"),
        bad(
            "INBOX_MAX_MESSAGE_BYTES no size",
            "helpdesk.inbox.max-message-bytes",
            "big",
            "INBOX_MAX_MESSAGE_BYTES",
            "not a size"),
        bad("INBOX_ATTEMPTS zero", "helpdesk.inbox.attempts", "0", "INBOX_ATTEMPTS", "at least 1"),
        bad(
            "TICKET_EVENTS_ENABLED no boolean",
            "helpdesk.ticket-events.enabled",
            "sometimes",
            "TICKET_EVENTS_ENABLED",
            "neither true nor false"));
  }

  private static Arguments bad(String name, String path, String value, String names, String fault) {
    return Arguments.of(name, path, value, names, fault);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void aBadValueIsReportedWithItsVariableAndFault(
      String name, String path, String value, String names, String fault) {
    List<String> problems = ConfigValidator.problems(backoffice(Map.of(path, value)));
    assertEquals(1, problems.size(), problems.toString());
    String problem = problems.get(0);
    assertTrue(problem.startsWith(names), problem);
    assertTrue(problem.contains(fault), problem);
    assertFalse(problem.contains("S3cret"), problem);
  }

  @Test
  void everyProblemAtOnceInOneMessage() {
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () ->
                ConfigValidator.check(
                    settings(
                        Map.of(
                            "helpdesk.http.port", "abc",
                            "helpdesk.http.ask-timeout", "abc",
                            "helpdesk.database.url", "postgres://u:S3cret-pw@db/helpdesk",
                            "helpdesk.amqp.uri", "amqp://u:S3cret-mq@127.0.0.1:notaport/vh",
                            "helpdesk.cluster.host", "999.1.1.1"))));
    assertEquals(StartupFailure.INVALID_SETTINGS, failure.exitStatus());
    String message = failure.getMessage();
    assertTrue(message.startsWith("5 invalid settings (nothing was started):"), message);
    for (String variable :
        List.of("HTTP_PORT", "HTTP_ASK_TIMEOUT", "DATABASE_URL", "AMQP_URI", "CLUSTER_HOST")) {
      assertTrue(message.contains("\n  - " + variable + "="), variable + " in " + message);
    }
    assertFalse(message.contains("S3cret"), message);
  }

  @Test
  void withABindHostTheClusterHostNeedNotBeThisMachines() {
    assertEquals(
        List.of(),
        ConfigValidator.problems(
            settings(
                Map.of(
                    "helpdesk.cluster.host", "node-1.example.invalid",
                    "pekko.remote.artery.bind.hostname", "0.0.0.0"))));
    List<String> problems =
        ConfigValidator.problems(
            settings(
                Map.of(
                    "helpdesk.cluster.host", "999.1.1.1",
                    "pekko.remote.artery.bind.hostname", "0.0.0.0")));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("CLUSTER_HOST='999.1.1.1'"), problems.get(0));
  }
}
