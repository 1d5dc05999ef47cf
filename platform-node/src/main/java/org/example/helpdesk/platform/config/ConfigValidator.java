package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.example.helpdesk.amqp.AmqpConnector;
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
 */
public final class ConfigValidator {

  private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Set<String> LOG_LEVELS =
      Set.of("OFF", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "TRACE", "ALL");

  private final Config config;
  private final List<String> problems = new ArrayList<>();

  private ConfigValidator(Config config) {
    this.config = config;
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
    return List.copyOf(v.problems);
  }

  private void checkAll() {
    // where the node listens
    host("helpdesk.http.host", "HTTP_HOST", true);
    port("helpdesk.http.port", "HTTP_PORT");
    bytes("helpdesk.http.max-body-bytes", "helpdesk.http.max-body-bytes");
    duration("helpdesk.http.ask-timeout", "HTTP_ASK_TIMEOUT");

    // its database
    int before = problems.size();
    jdbcUrl("helpdesk.database.url", "DATABASE_URL");
    nonEmpty("helpdesk.database.user", "DATABASE_USER");
    text("helpdesk.database.password", "DATABASE_PASSWORD");
    schema("helpdesk.database.schema", "DATABASE_SCHEMA");
    integer("helpdesk.database.pool-size", "DATABASE_POOL_SIZE", 1);
    integer("helpdesk.database.connect-retries", "DATABASE_CONNECT_RETRIES", 0);
    duration("helpdesk.database.connection-timeout", "DATABASE_CONNECTION_TIMEOUT");
    integer("helpdesk.database.connect-timeout", "DATABASE_CONNECT_TIMEOUT", 1);
    duration("helpdesk.database.call-timeout", "DATABASE_CALL_TIMEOUT");
    integer("helpdesk.database.statement-timeout", "DATABASE_STATEMENT_TIMEOUT", 0);
    integer("helpdesk.database.socket-timeout", "DATABASE_SOCKET_TIMEOUT", 0);
    integer("helpdesk.database.queue-size", "DATABASE_QUEUE_SIZE", 1);
    if (problems.size() == before) {
      // the rules between settings (statement timeout shorter than socket timeout ...)
      try {
        DatabaseSettings.from(config);
      } catch (RuntimeException e) {
        problems.add(Secrets.redact(e.getMessage()));
      }
    }

    // its broker
    amqpUri("helpdesk.amqp.uri", "AMQP_URI");

    // its cluster
    boolean bindHost =
        config.hasPath("pekko.remote.artery.bind.hostname")
            && !config.getString("pekko.remote.artery.bind.hostname").isBlank();
    if (bindHost) {
      // CLUSTER_HOST is then the address others reach the node at (behind NAT, a proxy): it
      // need not resolve here, nor be this machine's
      hostSyntax("helpdesk.cluster.host", "CLUSTER_HOST");
      host("pekko.remote.artery.bind.hostname", "CLUSTER_BIND_HOST", true);
    } else {
      host("helpdesk.cluster.host", "CLUSTER_HOST", true);
    }
    port("helpdesk.cluster.port", "CLUSTER_PORT");
    seedNodes("helpdesk.cluster.seed-nodes", "SEED_NODES");
    int beforeDiscovery = problems.size();
    text("helpdesk.cluster.discovery", "CLUSTER_DISCOVERY");
    seedNodes("helpdesk.cluster.discovery-endpoints", "CLUSTER_DISCOVERY_ENDPOINTS");
    integer("helpdesk.cluster.required-contact-points", "CLUSTER_REQUIRED_CONTACT_POINTS", 1);
    port("helpdesk.cluster.management-port", "MANAGEMENT_PORT");
    if (problems.size() == beforeDiscovery) {
      problems.addAll(ClusterDiscovery.problems(config));
    }
    duration(
        "pekko.cluster.split-brain-resolver.stable-after", "CLUSTER_STABLE_AFTER", Duration.ZERO);
    String passivation = "pekko.cluster.sharding.passivation.helpdesk-passivation.";
    duration(passivation + "idle-entity.timeout", "ENTITY_IDLE_TIMEOUT");
    integer(passivation + "active-entity-limit", "ENTITY_LIMIT", 1);
    integer("helpdesk-durable-state-store.lanes", "DURABLE_STATE_LANES", 1);
    logLevel("pekko.loglevel", "LOG_LEVEL");

    // the backoffice's own (the customer's node has none of these)
    bytes("helpdesk.inbox.max-message-bytes", "INBOX_MAX_MESSAGE_BYTES");
    integer("helpdesk.inbox.attempts", "INBOX_ATTEMPTS", 1);
    integer("helpdesk.inbox.partitions", "INBOX_PARTITIONS", 1);
    integer("helpdesk.inbox.parallelism", "INBOX_PARALLELISM", 1);
    sessionSecret("helpdesk.auth.session-secret", "SESSION_SECRET");
    duration("helpdesk.auth.session-ttl", "SESSION_TTL");
    bool("helpdesk.auth.secure-cookie", "SESSION_COOKIE_SECURE");
    readableFile("helpdesk.auth.employees-file", "EMPLOYEES_FILE");
    ipList("helpdesk.auth.trusted-proxies", "TRUSTED_PROXIES");

    // the customer's own
    adminToken("helpdesk.admin.token", "ADMIN_TOKEN");
  }

  // --- the rules -------------------------------------------------------------------------------

  private void port(String path, String variable) {
    String value = raw(path, variable);
    if (value == null) {
      return;
    }
    try {
      int port = Integer.parseInt(value.trim());
      // (0: any free port, chosen by the operating system; tests use it)
      if (port < 0 || port > 65535) {
        fault(variable, path, value, "not a port (1-65535)");
      }
    } catch (NumberFormatException e) {
      fault(variable, path, value, "not a port number (1-65535)");
    }
  }

  /** A host name or an address, not resolved. */
  private void hostSyntax(String path, String variable) {
    String value = raw(path, variable);
    if (value != null) {
      syntaxProblem(path, variable, value);
    }
  }

  /** True when the host is empty or a malformed address (reported). */
  private boolean syntaxProblem(String path, String variable, String value) {
    String host = value.trim();
    if (host.isEmpty()) {
      fault(variable, path, value, "empty (a host name or an IP address)");
      return true;
    }
    if (IPV4_LIKE.matcher(host).matches() && !isIpv4(host)) {
      fault(variable, path, value, "not an IPv4 address (four numbers 0-255)");
      return true;
    }
    return false;
  }

  /** A host that resolves here; with {@code mustBeLocal}, to an address of this machine. */
  private void host(String path, String variable, boolean mustBeLocal) {
    String value = raw(path, variable);
    if (value == null || syntaxProblem(path, variable, value)) {
      return;
    }
    String host = value.trim();
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      fault(variable, path, value, "no such host (the name cannot be resolved)");
      return;
    }
    if (mustBeLocal && !isLocal(address)) {
      fault(
          variable,
          path,
          value,
          "not an address of this machine ("
              + address.getHostAddress()
              + "), so nothing can listen on it; 0.0.0.0 listens on all");
    }
  }

  private static boolean isIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocal(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return true; // cannot tell: binding will say
    }
  }

  private void duration(String path, String variable) {
    duration(path, variable, null);
  }

  /** A duration, positive (or, with a {@code minimum}, at least that). */
  private void duration(String path, String variable, Duration minimum) {
    ofKind(
        path,
        variable,
        config::getDuration,
        "not a duration (e.g. 500ms, 5s, 2m)",
        duration ->
            minimum == null
                ? (duration.isNegative() || duration.isZero() ? "must be positive" : null)
                : (duration.isNegative() ? "must not be negative" : null));
  }

  private void integer(String path, String variable, int minimum) {
    String value = raw(path, variable);
    if (value == null) {
      return;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < minimum) {
        fault(variable, path, value, "must be at least " + minimum);
      }
    } catch (NumberFormatException e) {
      fault(variable, path, value, "not a whole number (no unit)");
    }
  }

  private void bytes(String path, String variable) {
    ofKind(
        path,
        variable,
        config::getBytes,
        "not a size (e.g. 65536, 512 KiB, 1 MiB)",
        size -> size < 1 ? "must be positive" : null);
  }

  private void bool(String path, String variable) {
    ofKind(path, variable, config::getBoolean, "neither true nor false", bool -> null);
  }

  private void text(String path, String variable) {
    if (config.hasPath(path)) {
      try {
        config.getString(path);
      } catch (ConfigException e) {
        problems.add(variable + " (" + path + "): not a text value");
      }
    }
  }

  private void nonEmpty(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && value.isBlank()) {
      fault(variable, path, value, "empty");
    }
  }

  private void schema(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && !SCHEMA.matcher(value).matches()) {
      fault(
          variable,
          path,
          value,
          "not a lower-case SQL identifier (a-z, 0-9 and _, not starting with a digit)");
    }
  }

  private void logLevel(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && !LOG_LEVELS.contains(value.trim().toUpperCase(Locale.ROOT))) {
      fault(variable, path, value, "not a log level (ERROR, WARN, INFO, DEBUG, TRACE or OFF)");
    }
  }

  private void jdbcUrl(String path, String variable) {
    String value = raw(path, variable);
    if (value == null) {
      return;
    }
    String url = value.trim();
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
      fault(
          variable,
          path,
          value,
          "a postgres:// URL; the node needs the JDBC form"
              + " jdbc:postgresql://host:port/database, with the user and password in"
              + " DATABASE_USER and DATABASE_PASSWORD (or as parameters of the URL)");
      return;
    }
    if (!lower.startsWith("jdbc:postgresql:")) {
      fault(
          variable,
          path,
          value,
          "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
      return;
    }
    java.util.Properties parsed = org.postgresql.Driver.parseURL(url, null);
    if (parsed == null) {
      fault(
          variable,
          path,
          value,
          "cannot be read as jdbc:postgresql://host:port/database (is the port a number, 1-65535?)");
      return;
    }
    String database = parsed.getProperty("PGDBNAME");
    if (database == null || database.isBlank()) {
      fault(variable, path, value, "names no database (jdbc:postgresql://host:port/database)");
    }
  }

  private void amqpUri(String path, String variable) {
    String value = raw(path, variable);
    if (value == null) {
      return;
    }
    String problem = AmqpConnector.uriProblem(value);
    if (problem != null) {
      fault(variable, path, value, problem);
    }
  }

  private void seedNodes(String path, String variable) {
    String value = raw(path, variable);
    if (value == null || value.isBlank()) {
      return;
    }
    for (String entry : value.split(",")) {
      String pair = entry.trim();
      if (pair.isEmpty()) {
        continue;
      }
      int colon = pair.lastIndexOf(':');
      if (colon <= 0 || colon == pair.length() - 1) {
        fault(variable, path, value, "the entry '" + pair + "' is not host:port");
        continue;
      }
      try {
        int port = Integer.parseInt(pair.substring(colon + 1));
        if (port < 1 || port > 65535) {
          fault(variable, path, value, "the port of '" + pair + "' is not between 1 and 65535");
        }
      } catch (NumberFormatException e) {
        fault(variable, path, value, "the port of '" + pair + "' is not a number");
      }
    }
  }

  private void sessionSecret(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && !value.isEmpty() && value.getBytes(StandardCharsets.UTF_8).length < 32) {
      // (the value itself is never shown)
      problems.add(
          variable
              + " ("
              + path
              + "): too short, it must be at least 32 bytes (or empty: a random one per start)");
    }
  }

  /** IP addresses separated by commas or spaces; names are refused (nothing is looked up). */
  private void ipList(String path, String variable) {
    String value = raw(path, variable);
    if (value == null) {
      return;
    }
    for (String entry : value.split("[\\s,]+")) {
      if (!entry.isBlank() && !IP_LITERAL.matcher(entry.strip()).matches()) {
        fault(variable, path, value, "'" + entry.strip() + "' is not an IP address");
        return;
      }
    }
  }

  private static final Pattern IP_LITERAL =
      Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  private void adminToken(String path, String variable) {
    String value = raw(path, variable);
    if (value != null
        && !value.isEmpty()
        && (value.length() < 16 || !value.strip().equals(value))) {
      // (the value itself is never shown)
      problems.add(
          variable
              + " ("
              + path
              + "): it must be at least 16 characters without spaces around them (or empty: the"
              + " admin API is off)");
    }
  }

  private void readableFile(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && !value.isBlank() && !Files.isReadable(Path.of(value.trim()))) {
      fault(variable, path, value, "no such file, or it cannot be read");
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * A setting of a kind the configuration reads ({@code read}, e.g. a duration), held to a rule.
   *
   * @param notOfKind the fault when it cannot be read as that kind
   * @param rule what is wrong with the value read, or null when nothing is
   */
  private <T> void ofKind(
      String path,
      String variable,
      Function<String, T> read,
      String notOfKind,
      Function<T, String> rule) {
    String value = raw(path, variable);
    if (value == null) {
      return;
    }
    T typed;
    try {
      typed = read.apply(path);
    } catch (ConfigException e) {
      fault(variable, path, value, notOfKind);
      return;
    }
    String wrong = rule.apply(typed);
    if (wrong != null) {
      fault(variable, path, value, wrong);
    }
  }

  /** The setting as its text, or null when it is absent (a setting of another service). */
  private String raw(String path, String variable) {
    if (!config.hasPath(path)) {
      return null;
    }
    try {
      Object unwrapped = config.getValue(path).unwrapped();
      if (unwrapped instanceof String || unwrapped instanceof Number) {
        return String.valueOf(unwrapped);
      }
      if (unwrapped instanceof Boolean) {
        return String.valueOf(unwrapped);
      }
      problems.add(variable + " (" + path + "): not a single value");
      return null;
    } catch (ConfigException e) {
      problems.add(variable + " (" + path + "): " + e.getMessage());
      return null;
    }
  }

  private void fault(String variable, String path, String value, String what) {
    problems.add(
        variable + "='" + Secrets.redact(value) + "' (" + path + "): " + Secrets.redact(what));
  }
}
