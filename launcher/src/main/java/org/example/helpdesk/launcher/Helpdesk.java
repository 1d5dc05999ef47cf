package org.example.helpdesk.launcher;

import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import sun.misc.Signal;

/**
 * The whole system in one command: a customer node and a backoffice node, on the configured
 * PostgreSQL and broker or on embedded ones, then the seed's scenario against them, then serving
 * until Ctrl-C. With {@code --scenario} it exits after the scenario with its status.
 */
public final class Helpdesk {

  private Helpdesk() {}

  public static void main(String[] args) {
    QuietStdout.install();
    List<String> options = List.of(args);
    if (options.contains("--help") || options.contains("-h")) {
      System.out.println(
          "usage: java -jar launcher/target/helpdesk.jar [--scenario]\n"
              + "  --scenario   run the demonstration scenario, stop everything and exit with its status\n"
              + "environment: DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, AMQP_URI (unset: embedded),\n"
              + "  HELPDESK_HOME (.helpdesk), EMBEDDED_POSTGRES_PORT (5433), EMBEDDED_AMQP_PORT (5673),\n"
              + "  CUSTOMER_HTTP_PORT (8081), BACKOFFICE_HTTP_PORT (8082), CUSTOMER_CLUSTER_PORT (2551),\n"
              + "  BACKOFFICE_CLUSTER_PORT (2552)");
      return;
    }
    boolean scenarioOnly = options.contains("--scenario");
    Path home =
        Path.of(Infrastructure.setting(System::getenv, "HELPDESK_HOME", ".helpdesk"))
            .toAbsolutePath();
    // before the first logger: node logs go to a file, the console stays readable
    System.setProperty("helpdesk.log.dir", home.resolve("logs").toString());
    System.setProperty("logback.configurationFile", "helpdesk-launcher-logback.xml");
    System.exit(run(home, scenarioOnly, System.out, System::getenv));
  }

  /**
   * @param env where settings come from: the environment, or a test's map
   * @return the exit status
   */
  static int run(Path home, boolean scenarioOnly, PrintStream out, Function<String, String> env) {
    out.println(
        "Helpdesk: Customer Service and Backoffice Service on Apache Pekko (logs: "
            + home.resolve("logs")
            + ")");
    Infrastructure infra;
    AllInOne nodes;
    // before anything starts: a port in use or a bad setting ends the start here, in a second
    List<String> problems = LauncherChecks.problems(env);
    if (!problems.isEmpty()) {
      out.println("Cannot start (nothing was started):");
      problems.forEach(problem -> out.println("  - " + problem));
      return 2;
    }
    out.println("Starting ...");
    try {
      infra = Infrastructure.start(home, out, env);
    } catch (RuntimeException e) {
      out.println("Could not start the database or broker: " + rootMessage(e));
      return 2;
    }
    DemoEmployee demo = DemoEmployee.generate();
    try {
      String retries = env.apply("DATABASE_CONNECT_RETRIES");
      java.util.Map<String, Object> common = new java.util.HashMap<>();
      if (retries != null) {
        common.put("helpdesk.database.connect-retries", Integer.parseInt(retries));
      }
      String employees = env.apply("EMPLOYEES");
      common.put(
          "helpdesk.auth.employees", (employees == null ? "" : employees + " ") + demo.entry());
      nodes = AllInOne.start(infra, AllInOne.Ports.from(env), ConfigFactory.parseMap(common));
    } catch (RuntimeException e) {
      out.println("Could not start the nodes: " + rootMessage(e));
      infra.close();
      return 2;
    }
    out.println("Customer Service  : " + nodes.customerUrl() + "/");
    out.println(
        "Backoffice Service: "
            + nodes.backofficeUrl()
            + "/   sign in as "
            + DemoEmployee.NAME
            + " (operator) with password "
            + demo.password());
    out.println("                    (a new password at every start; it is printed only here)");

    int status = 0;
    try {
      new SeedScenario(
              nodes.customerUrl(),
              nodes.backofficeUrl(),
              demo.basicAuthorization(),
              Duration.ofSeconds(30),
              out)
          .run();
    } catch (SeedScenario.Failed e) {
      out.println("SCENARIO FAILED: " + e.getMessage());
      status = 1;
    }
    if (scenarioOnly || status != 0) {
      stop(nodes, infra, out);
      return status;
    }

    printUsage(nodes, out);
    CountDownLatch stopRequested = new CountDownLatch(1);
    // Ctrl-C and SIGTERM stop things in order: nodes first, then the embedded broker and database.
    // (As JVM shutdown hooks, which the embedded broker and database register too, all of it
    // would stop at once.)
    for (String name : List.of("INT", "TERM")) {
      Signal.handle(new Signal(name), signal -> stopRequested.countDown());
    }
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println();
    out.println("Stopping ...");
    stop(nodes, infra, out);
    return 0;
  }

  private static void stop(AllInOne nodes, Infrastructure infra, PrintStream out) {
    nodes.close();
    infra.close();
    out.println("Stopped.");
  }

  private static void printUsage(AllInOne nodes, PrintStream out) {
    String c = nodes.customerUrl();
    String b = nodes.backofficeUrl();
    out.println();
    out.println("Both services are running. Try:");
    out.println("  curl -s -X POST " + c + "/issues -H 'Content-Type: application/json' \\");
    out.println(
        "       -d '{\"email\":\"jane@example.com\",\"content\":\"My printer is on fire\"}'");
    out.println("  curl -s " + c + "/issues/<issueId>");
    String u = "-u " + DemoEmployee.NAME + ":<password> ";
    out.println("  curl -s " + u + b + "/tickets/<issueId>");
    out.println("  curl -s " + u + "'" + b + "/tickets?status=awaiting&limit=10'");
    out.println(
        "  curl -s "
            + u
            + "-X POST "
            + b
            + "/tickets/<issueId>/assign -H 'Content-Type: application/json' -d '{\"assignee\":\"alice\"}'");
    out.println("  curl -s -X POST " + c + "/issues/<issueId>/close");
    out.println("  curl -s " + u + b + "/dead-letters");
    out.println(
        "Pages: " + c + "/ (report an issue), " + b + "/ (the console), API docs at /docs on both");
    out.println("  curl -s " + c + "/health/ready   " + b + "/health/ready");
    out.println("Press Ctrl-C to stop.");
  }

  /** A node's own reason (said in words, a StartupFailure) if there is one, else the root cause. */
  private static String rootMessage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof org.example.helpdesk.platform.support.StartupFailure) {
        return org.example.helpdesk.platform.support.Secrets.redact(c.getMessage());
      }
    }
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return org.example.helpdesk.platform.support.Secrets.redact(t.toString());
  }
}
