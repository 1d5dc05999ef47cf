package org.example.helpdesk.customer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.stream.RestartSettings;
import org.example.helpdesk.customer.events.EventDeadLetterRoutes;
import org.example.helpdesk.customer.events.EventDeadLetters;
import org.example.helpdesk.customer.events.EventInboxMetrics;
import org.example.helpdesk.customer.events.TicketEventConsumer;
import org.example.helpdesk.customer.events.TicketEventHandling;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.customer.issue.IssueRoutes;
import org.example.helpdesk.customer.issue.Issues;
import org.example.helpdesk.customer.issue.StoredIssue;
import org.example.helpdesk.customer.mail.MailRoutes;
import org.example.helpdesk.customer.mail.Mailer;
import org.example.helpdesk.customer.mail.SmtpMailSender;
import org.example.helpdesk.customer.outbox.CommandPublisher;
import org.example.helpdesk.customer.outbox.OutboxMetrics;
import org.example.helpdesk.customer.outbox.OutboxRelay;
import org.example.helpdesk.customer.web.CustomerPages;
import org.example.helpdesk.platform.Node;
import org.example.helpdesk.platform.changefeed.ChangeFeeds;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed;
import org.example.helpdesk.platform.changefeed.DurableStateTable;
import org.example.helpdesk.platform.config.SmtpUrl;
import org.example.helpdesk.platform.metrics.RouteTemplates;
import org.example.helpdesk.platform.projection.admin.AdminProjection;
import org.example.helpdesk.platform.projection.admin.AdminToken;
import org.example.helpdesk.platform.projection.admin.OffsetLever;
import org.example.helpdesk.platform.projection.admin.ProjectionAdminRoutes;
import org.example.helpdesk.platform.web.ApiDocsRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Customer Service node: Issue entities, the outbox relay, the inbox of ticket events, the HTTP
 * API (documented at {@code /openapi.json} and {@code /docs}) and the customer's pages.
 */
public final class CustomerNode {

  private static final Logger log = LoggerFactory.getLogger(CustomerNode.class);

  /** Flyway locations of the customer schema. */
  public static final String[] MIGRATIONS = {
    "classpath:db/pekko/state", "classpath:db/pekko/projection", "classpath:db/customer"
  };

  private final Node node;
  private final Issues issues;

  private CustomerNode(Node node, Issues issues) {
    this.node = node;
    this.issues = issues;
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
        feeds.feed(
            new DurableStateTable<>(node.system(), StoredIssue.class),
            outbox.getInt("relay.batch-size")),
        node.database(),
        publisher,
        new OutboxMetrics(node.metrics().registry(), node.metrics().sql()),
        new OutboxRelay.Settings(
            outbox.getInt("relay.group-size"), outbox.getDuration("relay.group-within")));

    String mailServer =
        startMailer(
            node, feeds.feed(new DurableStateTable<>(node.system(), StoredIssue.class), 32));

    // the ticket events the backoffice publishes, recorded on the issues
    Config events = node.config().getConfig("helpdesk.events");
    TicketEventHandling handling = new TicketEventHandling(issues);
    EventDeadLetters deadLetters =
        new EventDeadLetters(
            node.database(), clock, events.getBytes("max-message-bytes").intValue());
    TicketEventConsumer.init(
        node.system(),
        node.amqp(),
        handling,
        deadLetters,
        new TicketEventConsumer.Settings(
            events.getInt("prefetch"),
            events.getInt("parallelism"),
            events.getBytes("max-message-bytes").intValue(),
            events.getBytes("max-oversize-bytes").intValue(),
            events.getInt("attempts"),
            events.getDuration("retry-min-backoff"),
            events.getDuration("retry-max-backoff"),
            RestartSettings.create(
                events.getDuration("restart-min-backoff"),
                events.getDuration("restart-max-backoff"),
                0.2)),
        new EventInboxMetrics(node.metrics().registry()));

    AdminToken admin = new AdminToken(node.config().getString("helpdesk.admin.token"));
    // the pages first: on /issues/... they take only browsers' requests and pass the rest on
    AllDirectives d = new AllDirectives() {};
    node.allowLargerBody(CustomerPages.REPORT_FORM);
    node.serve(
        d.concat(
            new CustomerPages(issues, node.maxBodyBytes()).routes(),
            new IssueRoutes(issues, node.maxBodyBytes()).routes(),
            // (no sign-in on this node: its admin API takes the admin token, see AdminToken)
            new ProjectionAdminRoutes(
                    List.of(
                        new AdminProjection(
                            node.system(),
                            node.database(),
                            OutboxRelay.NAME,
                            IssueEntity.tags(),
                            OutboxMetrics.RELAY_LAG,
                            OffsetLever.Feed.DURABLE_STATE)),
                    Map.of(),
                    admin::operator,
                    node.maxBodyBytes())
                .routes(),
            new MailRoutes(node.database(), admin, mailServer, node.maxBodyBytes()).routes(),
            new EventDeadLetterRoutes(deadLetters, handling, admin, node.maxBodyBytes()).routes(),
            new ApiDocsRoutes("openapi/customer.json", "Customer Service").routes()),
        List.of(),
        // (a test of the path, not a path directive: the metrics route matches "metrics" itself)
        scrape ->
            d.extractUri(
                uri -> uri.path().equals("/metrics") ? admin.loopbackOrToken(scrape) : d.reject()),
        // (the pages share the API's paths: / and /issues/{issueId}/...)
        RouteTemplates.openApi("openapi/customer.json", List.of("/")));
    return new CustomerNode(node, issues);
  }

  /**
   * Starts the mailer when SMTP_URL names a server, and says at start whether it did.
   *
   * @return where it sends (password masked), or null when it is off
   */
  private static String startMailer(Node node, CommitOrderedFeed<StoredIssue> issues) {
    Config mail = node.config().getConfig("helpdesk.mail");
    Optional<SmtpUrl> url = SmtpUrl.parse(mail.getString("smtp-url"));
    if (url.isEmpty()) {
      log.info("Mailer off: no SMTP_URL, customers get no e-mail");
      return null;
    }
    SmtpMailSender sender =
        new SmtpMailSender(url.get(), mail.getString("from"), mail.getDuration("timeout"));
    node.system().getWhenTerminated().thenRun(sender::close);
    Mailer.init(
        node.system(),
        issues,
        node.database(),
        sender,
        node.metrics().registry(),
        new Mailer.Settings(
            mail.getInt("group-size"),
            mail.getDuration("group-within"),
            mail.getDuration("retry-min-backoff"),
            mail.getDuration("retry-max-backoff")));
    log.info("Mailer on: customers' e-mails go to {} from {}", url.get(), mail.getString("from"));
    return url.get().toString();
  }

  public Node node() {
    return node;
  }

  public Issues issues() {
    return issues;
  }
}
