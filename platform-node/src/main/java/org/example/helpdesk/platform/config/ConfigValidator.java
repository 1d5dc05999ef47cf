package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.platform.support.Secrets;
import org.example.helpdesk.platform.support.StartupFailure;

/**
 * Every setting an operator gives a node (the environment variables of helpdesk-node.conf and the
 * service's own), checked in one place before anything starts: parsed as what it must be (a port, a
 * host, a duration, a URI and its parts ...), with every problem found reported at once, each
 * naming the variable and what is wrong with its value (passwords masked, secrets never shown).
 *
 * <p>Without this, a wrong value surfaced wherever it was first used: after the database and the
 * actor system had started, as a library's stack trace, or not at all (a client library that took
 * its defaults instead of a URI it could not read).
 *
 * <p>This class is the list of what is checked; the rules themselves are {@link SettingChecks}'
 * (values) and {@link AddressChecks}' (hosts, URIs, peers).
 */
public final class ConfigValidator {

  private final Config config;
  private final SettingChecks values;
  private final AddressChecks addresses;

  private ConfigValidator(Config config) {
    this.config = config;
    this.values = new SettingChecks(config);
    this.addresses = new AddressChecks(values);
  }

  /**
   * Throws a {@link StartupFailure} ({@link StartupFailure#INVALID_SETTINGS}) naming every problem
   * of these settings (a node's configuration, resolved, before {@link NodeConfig} derived its
   * own).
   */
  public static void check(Config config) {
    List<String> found = problems(config);
    if (!found.isEmpty()) {
      throw new StartupFailure(describe(found), StartupFailure.INVALID_SETTINGS);
    }
  }

  /** The one message for all problems: a line each. */
  public static String describe(List<String> problems) {
    StringBuilder message =
        new StringBuilder(
            problems.size() == 1
                ? "invalid setting (nothing was started):"
                : problems.size() + " invalid settings (nothing was started):");
    for (String problem : problems) {
      message.append("\n  - ").append(problem);
    }
    return message.toString();
  }

  /** Every problem of these settings, in the order of helpdesk-node.conf; empty when none. */
  public static List<String> problems(Config config) {
    ConfigValidator v = new ConfigValidator(config);
    v.checkAll();
    return v.values.problems();
  }

  private void checkAll() {
    // where the node listens
    addresses.host("helpdesk.http.host", "HTTP_HOST", true);
    values.port("helpdesk.http.port", "HTTP_PORT");
    values.bytes("helpdesk.http.max-body-bytes", "helpdesk.http.max-body-bytes");
    values.duration("helpdesk.http.ask-timeout", "HTTP_ASK_TIMEOUT");

    // its database
    int before = values.count();
    addresses.jdbcUrl("helpdesk.database.url", "DATABASE_URL");
    values.nonEmpty("helpdesk.database.user", "DATABASE_USER");
    values.text("helpdesk.database.password", "DATABASE_PASSWORD");
    values.schema("helpdesk.database.schema", "DATABASE_SCHEMA");
    values.integer("helpdesk.database.pool-size", "DATABASE_POOL_SIZE", 1);
    values.integer("helpdesk.database.connect-retries", "DATABASE_CONNECT_RETRIES", 0);
    values.duration("helpdesk.database.connection-timeout", "DATABASE_CONNECTION_TIMEOUT");
    values.integer("helpdesk.database.connect-timeout", "DATABASE_CONNECT_TIMEOUT", 1);
    values.duration("helpdesk.database.call-timeout", "DATABASE_CALL_TIMEOUT");
    values.integer("helpdesk.database.statement-timeout", "DATABASE_STATEMENT_TIMEOUT", 0);
    values.integer("helpdesk.database.socket-timeout", "DATABASE_SOCKET_TIMEOUT", 0);
    values.integer("helpdesk.database.queue-size", "DATABASE_QUEUE_SIZE", 1);
    if (values.count() == before) {
      // the rules between settings (statement timeout shorter than socket timeout ...)
      try {
        DatabaseSettings.from(config);
      } catch (RuntimeException e) {
        values.add(Secrets.redact(e.getMessage()));
      }
    }

    // its broker
    addresses.amqpUri("helpdesk.amqp.uri", "AMQP_URI");

    // its cluster
    boolean bindHost =
        config.hasPath("pekko.remote.artery.bind.hostname")
            && !config.getString("pekko.remote.artery.bind.hostname").isBlank();
    if (bindHost) {
      // CLUSTER_HOST is then the address others reach the node at (behind NAT, a proxy): it
      // need not resolve here, nor be this machine's
      addresses.hostSyntax("helpdesk.cluster.host", "CLUSTER_HOST");
      addresses.host("pekko.remote.artery.bind.hostname", "CLUSTER_BIND_HOST", true);
    } else {
      addresses.host("helpdesk.cluster.host", "CLUSTER_HOST", true);
    }
    values.port("helpdesk.cluster.port", "CLUSTER_PORT");
    addresses.seedNodes("helpdesk.cluster.seed-nodes", "SEED_NODES");
    int beforeDiscovery = values.count();
    values.text("helpdesk.cluster.discovery", "CLUSTER_DISCOVERY");
    addresses.seedNodes("helpdesk.cluster.discovery-endpoints", "CLUSTER_DISCOVERY_ENDPOINTS");
    values.integer(
        "helpdesk.cluster.required-contact-points", "CLUSTER_REQUIRED_CONTACT_POINTS", 1);
    values.port("helpdesk.cluster.management-port", "MANAGEMENT_PORT");
    if (values.count() == beforeDiscovery) {
      ClusterDiscovery.problems(config).forEach(values::add);
    }
    values.duration(
        "pekko.cluster.split-brain-resolver.stable-after", "CLUSTER_STABLE_AFTER", Duration.ZERO);
    String passivation = "pekko.cluster.sharding.passivation.helpdesk-passivation.";
    values.duration(passivation + "idle-entity.timeout", "ENTITY_IDLE_TIMEOUT");
    values.integer(passivation + "active-entity-limit", "ENTITY_LIMIT", 1);
    values.integer("helpdesk-durable-state-store.lanes", "DURABLE_STATE_LANES", 1);
    values.logLevel("pekko.loglevel", "LOG_LEVEL");

    // the backoffice's own (the customer's node has none of these)
    values.bytes("helpdesk.inbox.max-message-bytes", "INBOX_MAX_MESSAGE_BYTES");
    values.integer("helpdesk.inbox.attempts", "INBOX_ATTEMPTS", 1);
    values.integer("helpdesk.inbox.partitions", "INBOX_PARTITIONS", 1);
    values.integer("helpdesk.inbox.parallelism", "INBOX_PARALLELISM", 1);
    values.bool("helpdesk.ticket-events.enabled", "TICKET_EVENTS_ENABLED");
    values.sessionSecret("helpdesk.auth.session-secret", "SESSION_SECRET");
    values.duration("helpdesk.auth.session-ttl", "SESSION_TTL");
    values.bool("helpdesk.auth.secure-cookie", "SESSION_COOKIE_SECURE");
    values.readableFile("helpdesk.auth.employees-file", "EMPLOYEES_FILE");
    addresses.ipList("helpdesk.auth.trusted-proxies", "TRUSTED_PROXIES");

    // the customer's own
    values.adminToken("helpdesk.admin.token", "ADMIN_TOKEN");
    addresses.smtpUrl("helpdesk.mail.smtp-url", "SMTP_URL");
    values.text("helpdesk.mail.from", "MAIL_FROM");
    values.duration("helpdesk.mail.timeout", "helpdesk.mail.timeout");
  }
}
