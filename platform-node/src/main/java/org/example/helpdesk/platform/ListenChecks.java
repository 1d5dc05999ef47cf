package org.example.helpdesk.platform;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.helpdesk.platform.config.ClusterDiscovery;
import org.example.helpdesk.platform.config.PortProbe;
import org.example.helpdesk.platform.support.StartupFailure;

/**
 * Where a {@link Node} listens (HTTP, Pekko Management, the cluster's remoting), checked before it
 * starts, and a failure to listen said in one line naming host, port and the variables to change,
 * instead of a library's stack trace after half the node had started. Apart from {@link Node} so
 * that its start reads as the order of what starts.
 */
final class ListenChecks {

  private ListenChecks() {}

  /**
   * Fails the start at once when the HTTP server or the cluster's remoting could not listen where
   * it is told to (a port in use, a host of another machine): one line naming host and port, before
   * the database, the actor system and the projections started.
   */
  static void checkPortsFree(Config config) {
    List<String> problems = new ArrayList<>();
    String http =
        PortProbe.problem(
            config.getString("helpdesk.http.host"), config.getInt("helpdesk.http.port"));
    if (http != null) {
      problems.add("HTTP (HTTP_HOST, HTTP_PORT): " + http);
    }
    if (ClusterDiscovery.bootstraps(config)) {
      String management =
          PortProbe.problem(
              config.getString("pekko.management.http.bind-hostname"),
              config.getInt("pekko.management.http.port"));
      if (management != null) {
        problems.add("Pekko Management (CLUSTER_BIND_HOST, MANAGEMENT_PORT): " + management);
      }
    }
    String remoting = PortProbe.problem(remotingHost(config), remotingPort(config));
    if (remoting != null) {
      problems.add(
          "the cluster's remoting (CLUSTER_HOST or CLUSTER_BIND_HOST, CLUSTER_PORT): " + remoting);
    }
    if (!problems.isEmpty()) {
      throw new StartupFailure(
          "cannot listen (nothing was started): " + String.join("; ", problems),
          StartupFailure.COULD_NOT_START);
    }
  }

  static String remotingHost(Config config) {
    String bind = config.getString("pekko.remote.artery.bind.hostname");
    return bind.isBlank() ? config.getString("pekko.remote.artery.canonical.hostname") : bind;
  }

  static int remotingPort(Config config) {
    String bind = config.getString("pekko.remote.artery.bind.port");
    return bind.isBlank()
        ? config.getInt("pekko.remote.artery.canonical.port")
        : Integer.parseInt(bind.trim());
  }

  /** A failure to listen on host:port, somewhere in {@code e}'s causes, said in one line. */
  static Optional<StartupFailure> bindFailure(Throwable e, String what, String host, int port) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.BindException
          || t instanceof java.nio.channels.UnresolvedAddressException
          || (t instanceof java.net.SocketException
              && String.valueOf(t.getMessage()).contains("Unresolved"))) {
        return Optional.of(
            new StartupFailure(
                "cannot listen for "
                    + what
                    + " on "
                    + host
                    + ":"
                    + port
                    + ": "
                    + PortProbe.reason(t),
                StartupFailure.COULD_NOT_START,
                e));
      }
    }
    return Optional.empty();
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
