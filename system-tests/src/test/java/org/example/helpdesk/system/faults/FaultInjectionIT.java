package org.example.helpdesk.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.OutboxQueries;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * Breaks things for real under a steady load of reports and closes, heals them, and checks the
 * invariants: nothing accepted is lost, nothing is duplicated, nothing is left behind.
 */
class FaultInjectionIT {

  private static final int RATE = 40;
  private static final Duration HEAL_WITHIN = Duration.ofSeconds(60);

  @Test
  void brokerStoppedAndStartedMidLoad() {
    try (Deployment d = Deployment.start(1, 1);
        IssueLoad load = IssueLoad.start(d.customerUrls(), RATE)) {
      awaitAccepted(load, 100);
      TestBroker.stop();
      try {
        // the customer service keeps taking reports: they wait in the outbox
        awaitAccepted(load, load.accepted() + 120);
      } finally {
        TestBroker.start();
      }
      awaitAccepted(load, load.accepted() + 100);
      load.close();
      Invariants.assertHoldWithin(HEAL_WITHIN, d, load);
    }
  }

  @Test
  void backofficeKilledAbruptlyMidLoadAndStartedAgain() {
    try (Deployment d = Deployment.start(1, 1);
        IssueLoad load = IssueLoad.start(d.customerUrls(), RATE)) {
      awaitAccepted(load, 100);
      NodeProcess backoffice = d.backoffices.get(0);
      backoffice.kill();
      awaitAccepted(load, load.accepted() + 100);
      backoffice.start().awaitHealthy(Duration.ofSeconds(90));
      awaitAccepted(load, load.accepted() + 100);
      load.close();
      Invariants.assertHoldWithin(HEAL_WITHIN, d, load);
    }
  }

  @Test
  void customerKilledAbruptlyWithUnpublishedEntriesAndStartedAgain() {
    try (Deployment d = Deployment.start(1, 1);
        IssueLoad load = IssueLoad.start(d.customerUrls(), RATE)) {
      awaitAccepted(load, 100);
      NodeProcess customer = d.customers.get(0);
      TestBroker.stop();
      try {
        // reports are accepted and their entries cannot be published: the crash finds them pending
        awaitAccepted(load, load.accepted() + 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingEntries(d) >= 40);
        customer.kill();
      } finally {
        TestBroker.start();
      }
      customer.start().awaitHealthy(Duration.ofSeconds(90));
      awaitAccepted(load, load.accepted() + 100);
      load.close();
      Invariants.assertHoldWithin(HEAL_WITHIN, d, load);
    }
  }

  @Test
  void databaseConnectionsCutAndServerRestartedMidLoad() {
    try (Deployment d = Deployment.start(1, 1);
        IssueLoad load = IssueLoad.start(d.customerUrls(), RATE)) {
      awaitAccepted(load, 100);
      for (int i = 0; i < 3; i++) {
        assertTrue(d.cutDatabaseConnections() > 0, "the nodes had connections to cut");
        awaitAccepted(load, load.accepted() + 40);
      }
      if (TestPostgres.restart()) {
        System.out.println("[faults] PostgreSQL server restarted");
      }
      awaitAccepted(load, load.accepted() + 100);
      load.close();
      Invariants.assertHoldWithin(HEAL_WITHIN, d, load);
    }
  }

  /**
   * Two nodes of each service. The oldest backoffice node (it hosts the shard coordinators and the
   * inbox consumer) is stopped; the younger customer node crashes. The survivors take over the
   * shards, the projection, relay and sweep instances and the inbox. (A crash of the OLDEST of
   * exactly two nodes cannot be told from a network partition, so the split-brain resolver keeps
   * the oldest side: that survivor would down itself. Three nodes survive any single crash.)
   */
  @Test
  void scaleOutThenOneNodeOfEachServiceStoppedSurvivorsTakeOver() {
    try (Deployment d = Deployment.start(2, 2);
        IssueLoad load = IssueLoad.start(d.customerUrls(), RATE)) {
      awaitAccepted(load, 150);
      d.backoffices.get(0).stop();
      d.customers.get(1).kill();
      awaitAccepted(load, load.accepted() + 200);
      load.close();
      Invariants.assertHoldWithin(HEAL_WITHIN, d, load);
      assertTrue(d.backoffices.get(1).status("/health") == 200 && d.customers.get(0).status("/health") == 200);
    }
  }

  private static long pendingEntries(Deployment d) {
    return d.customerSql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES);
  }

  private static void awaitAccepted(IssueLoad load, long count) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> load.accepted() >= count);
  }
}
