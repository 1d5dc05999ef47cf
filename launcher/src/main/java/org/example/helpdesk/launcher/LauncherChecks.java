package org.example.helpdesk.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.example.helpdesk.embedded.EmbeddedAmqpBroker;
import org.example.helpdesk.embedded.EmbeddedSmtp;
import org.example.helpdesk.platform.config.ConfigValidator;
import org.example.helpdesk.platform.config.PortProbe;

/**
 * The launcher's settings, checked before it starts anything: its ports (the embedded database's
 * and broker's, when they are embedded, and the nodes'), each a number, each different and each
 * free now; and everything the nodes will be given ({@link ConfigValidator}). Without this, a port
 * in use showed as a library's complaint in the log file and a scenario that failed half a minute
 * later.
 */
final class LauncherChecks {

  private LauncherChecks() {}

  /** Every problem, one line each, passwords masked; empty when there is none. */
  static List<String> problems(Function<String, String> env) {
    Set<String> problems = new LinkedHashSet<>();
    String any = "0.0.0.0";
    String httpHost = Infrastructure.setting(env, "HTTP_HOST", any);
    Map<String, String> hosts = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    if (Infrastructure.setting(env, "DATABASE_URL", null) == null) {
      hosts.put("EMBEDDED_POSTGRES_PORT", any);
      defaults.put("EMBEDDED_POSTGRES_PORT", "5433");
    }
    if (Infrastructure.setting(env, "AMQP_URI", null) == null) {
      hosts.put("EMBEDDED_AMQP_PORT", any);
      defaults.put("EMBEDDED_AMQP_PORT", String.valueOf(EmbeddedAmqpBroker.DEFAULT_PORT));
    }
    if (Infrastructure.setting(env, "SMTP_URL", null) == null) {
      hosts.put("EMBEDDED_SMTP_PORT", "127.0.0.1");
      defaults.put("EMBEDDED_SMTP_PORT", String.valueOf(EmbeddedSmtp.DEFAULT_PORT));
    }
    hosts.put("CUSTOMER_HTTP_PORT", httpHost);
    defaults.put("CUSTOMER_HTTP_PORT", "8081");
    hosts.put("CUSTOMER_CLUSTER_PORT", "127.0.0.1");
    defaults.put("CUSTOMER_CLUSTER_PORT", "2551");
    hosts.put("BACKOFFICE_HTTP_PORT", httpHost);
    defaults.put("BACKOFFICE_HTTP_PORT", "8082");
    hosts.put("BACKOFFICE_CLUSTER_PORT", "127.0.0.1");
    defaults.put("BACKOFFICE_CLUSTER_PORT", "2552");

    Map<Integer, String> taken = new HashMap<>();
    for (Map.Entry<String, String> e : hosts.entrySet()) {
      String variable = e.getKey();
      String value = Infrastructure.setting(env, variable, defaults.get(variable)).trim();
      int port;
      try {
        port = Integer.parseInt(value);
      } catch (NumberFormatException ex) {
        problems.add(variable + "='" + value + "': not a port number (1-65535)");
        continue;
      }
      if (port < 1 || port > 65535) {
        problems.add(variable + "='" + value + "': not a port (1-65535)");
        continue;
      }
      String other = taken.putIfAbsent(port, variable);
      if (other != null) {
        problems.add(variable + "='" + value + "': the same port as " + other);
        continue;
      }
      String problem = PortProbe.problem(e.getValue(), port);
      if (problem != null) {
        problems.add(variable + "=" + port + ": " + problem);
      }
    }
    String retries = Infrastructure.setting(env, "DATABASE_CONNECT_RETRIES", null);
    if (retries != null && !retries.trim().matches("[0-9]{1,9}")) {
      problems.add("DATABASE_CONNECT_RETRIES='" + retries + "': not a whole number (0 or more)");
    }
    if (problems.isEmpty()) {
      // what the nodes will be given (the environment included), checked as each node will
      for (String service : List.of("customer", "backoffice")) {
        problems.addAll(ConfigValidator.problems(nodeSettings(service, env)));
      }
    }
    return new ArrayList<>(problems);
  }

  /**
   * A node's settings as the launcher will start it, with its own ports left to the checks above
   * and the database and broker the embedded ones' URLs when there are none.
   */
  private static Config nodeSettings(String service, Function<String, String> env) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("helpdesk.http.port", 0);
    overrides.put("helpdesk.cluster.host", "127.0.0.1");
    overrides.put("helpdesk.cluster.port", 0);
    overrides.put("helpdesk.cluster.seed-nodes", "");
    if (Infrastructure.setting(env, "DATABASE_URL", null) == null) {
      overrides.put("helpdesk.database.url", "jdbc:postgresql://127.0.0.1:5433/postgres");
    } else {
      overrides.put("helpdesk.database.url", env.apply("DATABASE_URL"));
    }
    if (Infrastructure.setting(env, "AMQP_URI", null) == null) {
      overrides.put("helpdesk.amqp.uri", "amqp://guest:guest@127.0.0.1:5673/%2f");
    } else {
      overrides.put("helpdesk.amqp.uri", env.apply("AMQP_URI"));
    }
    for (String variable : List.of("DATABASE_USER", "DATABASE_PASSWORD")) {
      String value = env.apply(variable);
      if (value != null) {
        overrides.put(
            "helpdesk.database." + variable.substring("DATABASE_".length()).toLowerCase(), value);
      }
    }
    return ConfigFactory.load(
        ConfigFactory.parseMap(overrides)
            .withFallback(ConfigFactory.parseResourcesAnySyntax(service)));
  }
}
