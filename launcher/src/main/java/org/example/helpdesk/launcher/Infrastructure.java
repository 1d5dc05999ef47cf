package org.example.helpdesk.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.embedded.EmbeddedAmqpBroker;
import org.example.helpdesk.embedded.EmbeddedPostgres;
import org.example.helpdesk.embedded.EmbeddedSmtp;
import org.example.helpdesk.platform.config.SmtpUrl;

/**
 * The database, broker and mail server the nodes use: those DATABASE_URL, AMQP_URI and SMTP_URL
 * name, or, for each that is not set, an embedded one with its data under the launcher's home
 * folder (each mail the customers would get is kept there as a file and shown in one line).
 */
final class Infrastructure implements AutoCloseable {

  final String databaseUrl;
  final String databaseUser;
  final String databasePassword;
  final String amqpUri;
  final String smtpUrl;
  private final List<AutoCloseable> embedded;

  private Infrastructure(
      String databaseUrl,
      String databaseUser,
      String databasePassword,
      String amqpUri,
      String smtpUrl,
      List<AutoCloseable> embedded) {
    this.databaseUrl = databaseUrl;
    this.databaseUser = databaseUser;
    this.databasePassword = databasePassword;
    this.amqpUri = amqpUri;
    this.smtpUrl = smtpUrl;
    this.embedded = embedded;
  }

  static Infrastructure start(Path home, PrintStream out, Function<String, String> env) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      String url = setting(env, "DATABASE_URL", null);
      String user = setting(env, "DATABASE_USER", "postgres");
      String password = setting(env, "DATABASE_PASSWORD", "");
      if (url == null) {
        Path data = home.resolve("postgres");
        EmbeddedPostgres postgres =
            EmbeddedPostgres.start(
                data, Integer.parseInt(setting(env, "EMBEDDED_POSTGRES_PORT", "5433")));
        started.add(postgres);
        url = postgres.jdbcUrl();
        user = postgres.user();
        password = postgres.password();
        out.println("PostgreSQL : embedded (no DATABASE_URL), " + url + ", data in " + data);
      } else {
        out.println("PostgreSQL : " + url + " (DATABASE_URL)");
      }
      String amqp = setting(env, "AMQP_URI", null);
      if (amqp == null) {
        Path work = home.resolve("broker");
        EmbeddedAmqpBroker broker =
            EmbeddedAmqpBroker.start(
                work,
                Integer.parseInt(
                    setting(
                        env,
                        "EMBEDDED_AMQP_PORT",
                        String.valueOf(EmbeddedAmqpBroker.DEFAULT_PORT))));
        started.add(broker);
        amqp = broker.amqpUri();
        out.println(
            "AMQP broker: embedded Qpid Broker-J (no AMQP_URI), "
                + AmqpConnector.redact(amqp)
                + ", data in "
                + work);
      } else {
        out.println("AMQP broker: " + AmqpConnector.redact(amqp) + " (AMQP_URI)");
      }
      String smtp = setting(env, "SMTP_URL", null);
      if (smtp == null) {
        Path mail = home.resolve("mail");
        EmbeddedSmtp server =
            EmbeddedSmtp.start(
                mail,
                Integer.parseInt(
                    setting(env, "EMBEDDED_SMTP_PORT", String.valueOf(EmbeddedSmtp.DEFAULT_PORT))),
                line -> out.println("Mail       : " + line));
        started.add(server);
        smtp = "smtp://127.0.0.1:" + server.port();
        out.println(
            "SMTP server: embedded GreenMail (no SMTP_URL), "
                + smtp
                + ", each mail kept in "
                + mail);
      } else {
        out.println(
            "SMTP server: "
                + SmtpUrl.parse(smtp).map(Object::toString).orElse(smtp)
                + " (SMTP_URL)");
      }
      return new Infrastructure(url, user, password, amqp, smtp, started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  @Override
  public void close() {
    closeAll(embedded);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("Could not stop " + resource + ": " + e);
      }
    }
  }

  /** A setting from the environment (or what a test gives instead), or its default. */
  static String setting(Function<String, String> env, String name, String fallback) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
