package org.example.helpdesk.platform.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

  @Test
  void passwordsOfUrisAndUrlParametersAreMasked() {
    assertEquals(
        "amqp://guest:***@broker:5672/%2f", Secrets.redact("amqp://guest:guest@broker:5672/%2f"));
    assertEquals(
        "postgres://app:***@db.example.com/helpdesk",
        Secrets.redact("postgres://app:pa/ss:w0rd@db.example.com/helpdesk"));
    assertEquals(
        "Failed to get driver instance for jdbcUrl=jdbc:postgresql://db:5432/helpdesk?user=app&password=***&ssl=true",
        Secrets.redact(
            "Failed to get driver instance for jdbcUrl=jdbc:postgresql://db:5432/helpdesk?user=app&password=hunter2!&ssl=true"));
    assertEquals("{\"password\":\"***\"}", Secrets.redact("{\"password\":\"hunter2\"}"));
    assertEquals("DATABASE_PASSWORD=***", Secrets.redact("DATABASE_PASSWORD=hunter2"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "jdbc:postgresql://localhost:5432/postgres?currentSchema=backoffice",
        "http://127.0.0.1:8082/tickets",
        "FATAL: password authentication failed for user \"app\"",
        "pekko://backoffice@127.0.0.1:2552/system/sharding/Ticket",
        ""
      })
  void whatIsNoSecretStaysAsItIs(String text) {
    assertEquals(text, Secrets.redact(text));
  }

  @Test
  void aRegisteredPasswordIsMaskedWhereverItAppearsAndTrivialOnesAreNotRegistered() {
    String secret = "Reg1stered-" + System.nanoTime();
    Secrets.register(secret);
    Secrets.register("postgres");
    Secrets.register("guest");
    assertEquals(
        "login as app with *** failed", Secrets.redact("login as app with " + secret + " failed"));
    assertEquals(
        "jdbc:postgresql://localhost/postgres",
        Secrets.redact("jdbc:postgresql://localhost/postgres"));
    assertEquals("user guest", Secrets.redact("user guest"));
  }

  @Test
  void passwordsOfUrisAreRegistered() {
    String secret = "Fr0m-uri-" + System.nanoTime();
    Secrets.registerPasswordsIn("amqp://helpdesk:" + secret + "@broker/%2f");
    assertFalse(Secrets.redact("the broker said " + secret).contains(secret));
    long n = System.nanoTime();
    Secrets.registerPasswordsIn("jdbc:postgresql://db/app?password=p%40ss-" + n);
    assertEquals(
        "*** and ***", Secrets.redact("p@ss-" + n + " and p%40ss-" + n), "decoded and encoded");
  }

  @Test
  void theNodesPasswordsAndTheSessionSecretAreRegistered() {
    Secrets.registerNodeSecrets(
        com.typesafe.config.ConfigFactory.parseMap(
            java.util.Map.of(
                "helpdesk.database.password", "Db-pass-4711",
                "helpdesk.database.url", "jdbc:postgresql://db/x?password=Url-pass-4711",
                "helpdesk.amqp.uri", "amqp://u:Mq-pass-4711@h/vh",
                "helpdesk.auth.session-secret", "Session-secret-4711-0123456789abcdef")));
    assertEquals(
        "a *** b *** c *** d ***",
        Secrets.redact(
            "a Db-pass-4711 b Url-pass-4711 c Mq-pass-4711 d Session-secret-4711-0123456789abcdef"));
  }
}
