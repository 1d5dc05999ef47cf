package org.example.helpdesk.customer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.stream.RestartSettings;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.IssueRoutes;
import org.example.helpdesk.customer.issue.Issues;
import org.example.helpdesk.customer.outbox.CommandPublisher;
import org.example.helpdesk.customer.outbox.OutboxMetrics;
import org.example.helpdesk.customer.outbox.OutboxRelay;
import org.example.helpdesk.platform.changefeed.ChangeFeeds;
import org.example.helpdesk.platform.changefeed.DurableStateTable;
import org.example.helpdesk.platform.Node;
import org.example.helpdesk.platform.cluster.HealthRoutes;

/**
 * The Customer Service node: Issue entities, the outbox relay, and the HTTP API.
 */
public final class CustomerNode {

  /** Flyway locations of the customer schema. */
  public static final String[] MIGRATIONS = {
    "classpath:db/pekko/state", "classpath:db/pekko/projection", "classpath:db/customer"
  };

  private final Node node;

  private CustomerNode(Node node) {
    this.node = node;
  }

  public static CustomerNode start() {
    return start(ConfigFactory.empty());
  }

  public static CustomerNode start(Config overrides) {
    Node node = Node.start("customer", overrides, MIGRATIONS);
    Config outbox = node.config().getConfig("helpdesk.outbox");
    Clock clock = Clock.systemUTC();

    Issues issues = Issues.init(node.system(), clock, node.askTimeout());
    CommandPublisher publisher =
        CommandPublisher.start(
            node.system(),
            node.amqp(),
            new CommandPublisher.Settings(
                outbox.getInt("publisher.buffer"),
                outbox.getInt("publisher.max-unconfirmed"),
                outbox.getDuration("publisher.confirm-timeout"),
                RestartSettings.create(
                    outbox.getDuration("publisher.restart-min-backoff"),
                    outbox.getDuration("publisher.restart-max-backoff"),
                    0.2)));
    ChangeFeeds feeds = node.changeFeeds(DurableStateTable.TABLE);
    OutboxRelay.init(
        node.system(),
        feeds.feed(new DurableStateTable<>(node.system(), Issue.State.class), outbox.getInt("relay.batch-size")),
        node.database(),
        publisher,
        new OutboxMetrics(node.metrics().registry(), node.database().dataSource()),
        new OutboxRelay.Settings(
            outbox.getInt("relay.group-size"),
            outbox.getDuration("relay.group-within")));

    node.serve(
        new IssueRoutes(issues, node.maxBodyBytes()).routes(),
        List.of(HealthRoutes.Check.broker(node.amqp())));
    return new CustomerNode(node);
  }

  public Node node() {
    return node;
  }
}
