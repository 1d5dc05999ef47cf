package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
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
import org.example.helpdesk.platform.support.Secrets;

/**
 * The rules {@link ConfigValidator} holds settings to, one method per kind of value (a port, a
 * duration, a size, a secret ...), and the problems found so far. Each rule skips a setting that is
 * absent (a setting of another service) and records, instead of throwing, so that one run reports
 * every problem at once. The network addresses (hosts, URIs, peers) are {@link AddressChecks}'.
 */
final class SettingChecks {

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Set<String> LOG_LEVELS =
      Set.of("OFF", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "TRACE", "ALL");

  private final Config config;
  private final List<String> problems = new ArrayList<>();

  SettingChecks(Config config) {
    this.config = config;
  }

  Config config() {
    return config;
  }

  /** The problems found so far, in the order found. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  /** How many problems were found so far (to check a rule between settings only if none were). */
  int count() {
    return problems.size();
  }

  /** A problem said in full by its finder (the value is not repeated). */
  void add(String problem) {
    problems.add(problem);
  }

  // --- the rules -------------------------------------------------------------------------------

  void port(String path, String variable) {
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

  void duration(String path, String variable) {
    duration(path, variable, null);
  }

  /** A duration, positive (or, with a {@code minimum}, at least that). */
  void duration(String path, String variable, Duration minimum) {
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

  void integer(String path, String variable, int minimum) {
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

  void bytes(String path, String variable) {
    ofKind(
        path,
        variable,
        config::getBytes,
        "not a size (e.g. 65536, 512 KiB, 1 MiB)",
        size -> size < 1 ? "must be positive" : null);
  }

  void bool(String path, String variable) {
    ofKind(path, variable, config::getBoolean, "neither true nor false", bool -> null);
  }

  void text(String path, String variable) {
    if (config.hasPath(path)) {
      try {
        config.getString(path);
      } catch (ConfigException e) {
        problems.add(variable + " (" + path + "): not a text value");
      }
    }
  }

  void nonEmpty(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && value.isBlank()) {
      fault(variable, path, value, "empty");
    }
  }

  void schema(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && !SCHEMA.matcher(value).matches()) {
      fault(
          variable,
          path,
          value,
          "not a lower-case SQL identifier (a-z, 0-9 and _, not starting with a digit)");
    }
  }

  void logLevel(String path, String variable) {
    String value = raw(path, variable);
    if (value != null && !LOG_LEVELS.contains(value.trim().toUpperCase(Locale.ROOT))) {
      fault(variable, path, value, "not a log level (ERROR, WARN, INFO, DEBUG, TRACE or OFF)");
    }
  }

  void sessionSecret(String path, String variable) {
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

  void adminToken(String path, String variable) {
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

  void readableFile(String path, String variable) {
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
  String raw(String path, String variable) {
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

  /** A problem with the value shown, redacted (a password in a URI is masked). */
  void fault(String variable, String path, String value, String what) {
    problems.add(
        variable + "='" + Secrets.redact(value) + "' (" + path + "): " + Secrets.redact(what));
  }
}
