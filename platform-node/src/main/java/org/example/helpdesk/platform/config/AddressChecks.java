package org.example.helpdesk.platform.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.example.helpdesk.amqp.AmqpConnector;

/**
 * The rules for settings that say where something is: hosts (resolved, and local when the node
 * listens on them), the database's JDBC URL, the broker's URI, peers and proxies. Apart from {@link
 * SettingChecks} because these are the ones that look at the network (a name lookup, this machine's
 * interfaces) and parse other libraries' address forms; they record into the same problems.
 */
final class AddressChecks {

  private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
  private static final Pattern IP_LITERAL =
      Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  private final SettingChecks checks;

  AddressChecks(SettingChecks checks) {
    this.checks = checks;
  }

  /** A host name or an address, not resolved. */
  void hostSyntax(String path, String variable) {
    String value = checks.raw(path, variable);
    if (value != null) {
      syntaxProblem(path, variable, value);
    }
  }

  /** True when the host is empty or a malformed address (reported). */
  private boolean syntaxProblem(String path, String variable, String value) {
    String host = value.trim();
    if (host.isEmpty()) {
      checks.fault(variable, path, value, "empty (a host name or an IP address)");
      return true;
    }
    if (IPV4_LIKE.matcher(host).matches() && !isIpv4(host)) {
      checks.fault(variable, path, value, "not an IPv4 address (four numbers 0-255)");
      return true;
    }
    return false;
  }

  /** A host that resolves here; with {@code mustBeLocal}, to an address of this machine. */
  void host(String path, String variable, boolean mustBeLocal) {
    String value = checks.raw(path, variable);
    if (value == null || syntaxProblem(path, variable, value)) {
      return;
    }
    String host = value.trim();
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      checks.fault(variable, path, value, "no such host (the name cannot be resolved)");
      return;
    }
    if (mustBeLocal && !isLocal(address)) {
      checks.fault(
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

  void jdbcUrl(String path, String variable) {
    String value = checks.raw(path, variable);
    if (value == null) {
      return;
    }
    String url = value.trim();
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
      checks.fault(
          variable,
          path,
          value,
          "a postgres:// URL; the node needs the JDBC form"
              + " jdbc:postgresql://host:port/database, with the user and password in"
              + " DATABASE_USER and DATABASE_PASSWORD (or as parameters of the URL)");
      return;
    }
    if (!lower.startsWith("jdbc:postgresql:")) {
      checks.fault(
          variable,
          path,
          value,
          "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
      return;
    }
    java.util.Properties parsed = org.postgresql.Driver.parseURL(url, null);
    if (parsed == null) {
      checks.fault(
          variable,
          path,
          value,
          "cannot be read as jdbc:postgresql://host:port/database (is the port a number, 1-65535?)");
      return;
    }
    String database = parsed.getProperty("PGDBNAME");
    if (database == null || database.isBlank()) {
      checks.fault(
          variable, path, value, "names no database (jdbc:postgresql://host:port/database)");
    }
  }

  void amqpUri(String path, String variable) {
    String value = checks.raw(path, variable);
    if (value == null) {
      return;
    }
    String problem = AmqpConnector.uriProblem(value);
    if (problem != null) {
      checks.fault(variable, path, value, problem);
    }
  }

  void smtpUrl(String path, String variable) {
    String value = checks.raw(path, variable);
    if (value == null) {
      return;
    }
    try {
      SmtpUrl.parse(value);
    } catch (IllegalArgumentException e) {
      // (its message names what is wrong and never holds the password; the value is not shown)
      checks.add(variable + " (" + path + "): " + e.getMessage());
    }
  }

  void seedNodes(String path, String variable) {
    String value = checks.raw(path, variable);
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
        checks.fault(variable, path, value, "the entry '" + pair + "' is not host:port");
        continue;
      }
      try {
        int port = Integer.parseInt(pair.substring(colon + 1));
        if (port < 1 || port > 65535) {
          checks.fault(
              variable, path, value, "the port of '" + pair + "' is not between 1 and 65535");
        }
      } catch (NumberFormatException e) {
        checks.fault(variable, path, value, "the port of '" + pair + "' is not a number");
      }
    }
  }

  /** IP addresses separated by commas or spaces; names are refused (nothing is looked up). */
  void ipList(String path, String variable) {
    String value = checks.raw(path, variable);
    if (value == null) {
      return;
    }
    for (String entry : value.split("[\\s,]+")) {
      if (!entry.isBlank() && !IP_LITERAL.matcher(entry.strip()).matches()) {
        checks.fault(variable, path, value, "'" + entry.strip() + "' is not an IP address");
        return;
      }
    }
  }
}
