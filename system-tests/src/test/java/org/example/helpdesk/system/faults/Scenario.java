package org.example.helpdesk.system.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Consumer;
import org.example.helpdesk.testsupport.OutboxQueries;

/**
 * One fault-injection scenario, so that a test reads as its fault and its expectations:
 *
 * <pre>{@code
 * Scenario.with(1, 1)            // customer and backoffice nodes
 *     .underLoad(40)             // reports (and closes) a second
 *     .after(100)                // reports accepted before the fault
 *     .fault(s -> ...)           // break something, heal it
 *     .thenMore(100)             // reports accepted after it
 *     .expectInvariantsWithin(Duration.ofSeconds(60));
 * }</pre>
 *
 * The terminal {@code expect...} runs it all: it starts the {@link Deployment} and the {@link
 * IssueLoad}, waits for the reports before the fault, runs the fault, waits for the reports after
 * it, stops the load and asserts the {@link Invariants} within the time given; both are closed
 * whatever happens.
 */
final class Scenario {

  /** A running scenario, as the fault sees it. */
  static final class Running {
    final Deployment d;
    final IssueLoad load;

    private Running(Deployment d, IssueLoad load) {
      this.d = d;
      this.load = load;
    }

    /** Waits (90 s at most) until this many more reports than now have been accepted. */
    void awaitMoreAccepted(long more) {
      awaitAccepted(load, load.accepted() + more);
    }

    /** Issues whose outbox entries the customer service has not published yet. */
    long pendingEntries() {
      return d.customerSql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES);
    }
  }

  /** What a fault does to a running scenario. */
  interface Fault {
    void inject(Running s);
  }

  private final int customerNodes;
  private final int backofficeNodes;
  private int perSecond;
  private long before;
  private Fault fault = s -> {};
  private long after;

  private Scenario(int customerNodes, int backofficeNodes) {
    this.customerNodes = customerNodes;
    this.backofficeNodes = backofficeNodes;
  }

  static Scenario with(int customerNodes, int backofficeNodes) {
    return new Scenario(customerNodes, backofficeNodes);
  }

  Scenario underLoad(int reportsPerSecond) {
    this.perSecond = reportsPerSecond;
    return this;
  }

  /** How many reports are accepted before the fault. */
  Scenario after(long accepted) {
    this.before = accepted;
    return this;
  }

  Scenario fault(Fault fault) {
    this.fault = fault;
    return this;
  }

  /** How many more reports are accepted after the fault, before the load stops. */
  Scenario thenMore(long accepted) {
    this.after = accepted;
    return this;
  }

  /** Runs the scenario: nothing accepted is lost or duplicated within {@code healWithin}. */
  void expectInvariantsWithin(Duration healWithin) {
    expectInvariantsWithin(healWithin, d -> {});
  }

  /** Runs the scenario, asserts the invariants, and then {@code more} on the deployment. */
  void expectInvariantsWithin(Duration healWithin, Consumer<Deployment> more) {
    try (Deployment d = Deployment.start(customerNodes, backofficeNodes);
        IssueLoad load = IssueLoad.start(d.customerUrls(), perSecond)) {
      awaitAccepted(load, before);
      Running running = new Running(d, load);
      fault.inject(running);
      if (after > 0) {
        running.awaitMoreAccepted(after);
      }
      load.close();
      Invariants.assertHoldWithin(healWithin, d, load);
      more.accept(d);
    }
  }

  private static void awaitAccepted(IssueLoad load, long count) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> load.accepted() >= count);
  }
}
