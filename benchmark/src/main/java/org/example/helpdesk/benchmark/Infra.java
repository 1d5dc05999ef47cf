package org.example.helpdesk.benchmark;

import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;

/** The PostgreSQL and broker under test: configured, or local, or embedded in this JVM. */
record Infra(String databaseUrl, String user, String password, String amqpUri, String description) {

  static Infra choose() {
    String url = System.getenv("DATABASE_URL");
    String db;
    Infra infra;
    if (url != null && !url.isBlank()) {
      db = url;
      infra = new Infra(url, env("DATABASE_USER", "postgres"), env("DATABASE_PASSWORD", ""), null, null);
    } else {
      db = TestPostgres.endpoint().kind() + " " + TestPostgres.jdbcUrl();
      infra = new Infra(TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password(), null, null);
    }
    String amqp = env("AMQP_URI", null);
    if (amqp == null) {
      amqp = TestBroker.amqpUri();
    }
    return new Infra(
        infra.databaseUrl(), infra.user(), infra.password(), amqp,
        "PostgreSQL " + db + "; broker " + amqp.replaceAll(":[^:@/]*@", ":***@"));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
