package org.example.helpdesk.backoffice;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.stream.RestartSettings;
import org.example.helpdesk.amqp.UnitPublisher;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.auth.Employees;
import org.example.helpdesk.backoffice.auth.Sessions;
import org.example.helpdesk.backoffice.auth.SignInRoutes;
import org.example.helpdesk.backoffice.auth.SignInThrottle;
import org.example.helpdesk.backoffice.auth.TrustedProxies;
import org.example.helpdesk.backoffice.console.ConsoleLayout;
import org.example.helpdesk.backoffice.console.ConsoleRoutes;
import org.example.helpdesk.backoffice.console.StatusStrip;
import org.example.helpdesk.backoffice.deadletter.BulkDeadLetterPages;
import org.example.helpdesk.backoffice.deadletter.BulkDeadLetterRoutes;
import org.example.helpdesk.backoffice.deadletter.BulkDeadLetters;
import org.example.helpdesk.backoffice.deadletter.DeadLetterLeases;
import org.example.helpdesk.backoffice.deadletter.DeadLetterMetrics;
import org.example.helpdesk.backoffice.deadletter.DeadLetterPages;
import org.example.helpdesk.backoffice.deadletter.DeadLetterRoutes;
import org.example.helpdesk.backoffice.deadletter.DeadLetterTable;
import org.example.helpdesk.backoffice.deadletter.DeadLetters;
import org.example.helpdesk.backoffice.events.CustomerEvents;
import org.example.helpdesk.backoffice.events.TicketEventRelay;
import org.example.helpdesk.backoffice.events.TicketEventRelayMetrics;
import org.example.helpdesk.backoffice.inbox.CommandConsumer;
import org.example.helpdesk.backoffice.inbox.CommandHandling;
import org.example.helpdesk.backoffice.inbox.InboxMetrics;
import org.example.helpdesk.backoffice.inbox.InboxPartitions;
import org.example.helpdesk.backoffice.ticket.TicketHistory;
import org.example.helpdesk.backoffice.ticket.TicketProjection;
import org.example.helpdesk.backoffice.ticket.TicketProjectionLag;
import org.example.helpdesk.backoffice.ticket.TicketReadModel;
import org.example.helpdesk.backoffice.ticket.TicketRebuild;
import org.example.helpdesk.backoffice.ticket.TicketTags;
import org.example.helpdesk.backoffice.ticket.Tickets;
import org.example.helpdesk.backoffice.ticket.web.TicketChanges;
import org.example.helpdesk.backoffice.ticket.web.TicketPages;
import org.example.helpdesk.backoffice.ticket.web.TicketRoutes;
import org.example.helpdesk.platform.Node;
import org.example.helpdesk.platform.changefeed.ChangeFeeds;
import org.example.helpdesk.platform.changefeed.EventTagTable;
import org.example.helpdesk.platform.db.ConnectionPools;
import org.example.helpdesk.platform.metrics.RouteTemplates;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.platform.projection.admin.AdminProjection;
import org.example.helpdesk.platform.projection.admin.OffsetLever;
import org.example.helpdesk.platform.projection.admin.ProjectionAdminRoutes;
import org.example.helpdesk.platform.web.ApiDocsRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Backoffice Service node: Ticket entities, the tickets read model, the inbox of distributed
 * commands with its dead letters, the relay of the tickets' events to the customer service, and the
 * HTTP API.
 */
public final class BackofficeNode {

  private static final Logger log = LoggerFactory.getLogger(BackofficeNode.class);

  /** Flyway locations of the backoffice schema. */
  public static final String[] MIGRATIONS = {
    "classpath:db/pekko/journal", "classpath:db/pekko/projection", "classpath:db/backoffice"
  };

  /** The routes besides the JSON API's, as request metrics name them. */
  private static final List<String> PAGES =
      List.of(
          "/",
          "/sign-in",
          "/sign-out",
          "/console/events",
          "/console/status",
          "/console/tickets",
          "/console/tickets/rows",
          "/console/tickets/{id}",
          "/console/tickets/{id}/assign",
          "/console/tickets/{id}/cancel",
          "/console/tickets/{id}/answer",
          "/console/tickets/{id}/history",
          "/console/dead-letters",
          "/console/dead-letters/bulk",
          "/console/dead-letters/{id}",
          "/console/dead-letters/{id}/replay",
          "/console/dead-letters/{id}/delete");

  private final Node node;
  private final DeadLetters deadLetters;

  private BackofficeNode(Node node, DeadLetters deadLetters) {
    this.node = node;
    this.deadLetters = deadLetters;
  }

  public static BackofficeNode start() {
    return start(ConfigFactory.empty());
  }

  public static BackofficeNode start(Config overrides) {
    Node node = Node.start("backoffice", overrides, MIGRATIONS);
    Config config = node.config();
    Clock clock = Clock.systemUTC();

    Tickets tickets = Tickets.init(node.system(), clock, node.askTimeout());
    ChangeFeeds feeds = node.changeFeeds(EventTagTable.TABLE, TicketReadModel.TABLE);
    TicketProjection.init(
        node.system(),
        feeds.feed(
            new EventTagTable<>(node.system(), Recorded.type()),
            config.getInt("helpdesk.tickets-projection.batch-size")),
        node.database().dataSource(),
        config.getInt("helpdesk.tickets-projection.group-size"),
        config.getDuration("helpdesk.tickets-projection.group-within"));
    if (config.getBoolean("helpdesk.ticket-events.enabled")) {
      startEventsRelay(node, feeds);
    } else {
      log.warn(
          "The ticket events relay is off (TICKET_EVENTS_ENABLED=false): customers hear nothing of"
              + " their tickets; once it is on again it publishes what the journal gained meanwhile");
    }

    ConnectionPools.get(node.system())
        .add("persistence", ConnectionPools.journalPool(node.system()));
    // each feature registers what it measures
    InboxMetrics metrics = new InboxMetrics(node.metrics().registry());
    DeadLetterMetrics.register(node.metrics().registry(), node.metrics().sql());
    TicketProjectionLag.register(node.metrics().registry(), node.metrics().sql());
    Config inbox = config.getConfig("helpdesk.inbox");
    int maxMessageBytes = (int) (long) inbox.getBytes("max-message-bytes");
    DeadLetterTable deadLetterTable =
        new DeadLetterTable(node.database(), clock, maxMessageBytes)
            .withLease(inbox.getDuration("replay-lease"));
    CommandHandling handling = new CommandHandling(tickets, inbox.getDuration("ask-timeout"));
    InboxPartitions.init(
        node.system(),
        node.amqp(),
        handling,
        deadLetterTable.writes(),
        new CommandConsumer.Settings(
            inbox.getInt("partitions"),
            inbox.getInt("prefetch"),
            inbox.getInt("parallelism"),
            maxMessageBytes,
            (int) (long) inbox.getBytes("max-oversize-bytes"),
            inbox.getBytes("max-bytes-in-flight"),
            inbox.getInt("attempts"),
            inbox.getDuration("max-ask-timeout"),
            inbox.getDuration("retry-min-backoff"),
            inbox.getDuration("retry-max-backoff"),
            RestartSettings.create(
                inbox.getDuration("restart-min-backoff"),
                inbox.getDuration("restart-max-backoff"),
                0.2)),
        metrics);
    DeadLetters deadLetters = new DeadLetters(deadLetterTable, handling, node.tracing());
    BulkDeadLetters bulkDeadLetters = new BulkDeadLetters(deadLetters, node.database());
    DeadLetterLeases.start(deadLetters, node.system(), inbox.getDuration("replay-lease-check"));

    Access access = access(config.getConfig("helpdesk.auth"), clock);
    TicketReadModel readModel = new TicketReadModel(node.database());
    TicketHistory history = new TicketHistory(node.system());
    AdminProjection ticketsAdmin =
        new AdminProjection(
            node.system(),
            node.database(),
            TicketProjection.NAME,
            TicketTags.all(),
            TicketProjectionLag.SQL,
            OffsetLever.Feed.EVENT_TAG);
    // the relay's offset can be moved back too: the customer service takes a repeat as such
    AdminProjection eventsRelayAdmin =
        new AdminProjection(
            node.system(),
            node.database(),
            TicketEventRelay.NAME,
            TicketTags.all(),
            TicketProjectionLag.SQL,
            OffsetLever.Feed.EVENT_TAG);
    ProjectionAdminRoutes projectionAdmin =
        new ProjectionAdminRoutes(
            List.of(ticketsAdmin, eventsRelayAdmin),
            Map.of(
                TicketProjection.NAME,
                new TicketRebuild(
                    node.system(),
                    node.database(),
                    ticketsAdmin,
                    clock,
                    config.getDuration("helpdesk.tickets-projection.rebuild.pause-timeout"),
                    config.getInt("helpdesk.tickets-projection.rebuild.batch-size"))),
            routes -> access.api(Employee.Role.OPERATOR, employee -> routes.apply(employee.name())),
            node.maxBodyBytes());
    ConsoleLayout layout = new ConsoleLayout();
    AllDirectives d = new AllDirectives() {};
    node.allowLargerBody(TicketPages.ANSWER_FORM);
    node.serve(
        d.concat(
            new TicketRoutes(tickets, readModel, history, access, node.maxBodyBytes()).routes(),
            // (before DeadLetterRoutes and DeadLetterPages, which would take "bulk" for an id)
            new BulkDeadLetterRoutes(bulkDeadLetters, access, node.maxBodyBytes()).routes(),
            new DeadLetterRoutes(deadLetters, access, node.maxBodyBytes()).routes(),
            projectionAdmin.routes(),
            new SignInRoutes(access).routes(),
            new ConsoleRoutes(access, new StatusStrip(node.metrics().registry()), layout).routes(),
            new TicketPages(
                    access,
                    tickets,
                    readModel,
                    history,
                    new TicketChanges(node.system(), feeds.signal(TicketReadModel.TABLE)),
                    layout)
                .routes(),
            new BulkDeadLetterPages(bulkDeadLetters, access, layout).routes(),
            new DeadLetterPages(access, deadLetters, layout).routes(),
            new ApiDocsRoutes("openapi/backoffice.json", "Backoffice Service").routes()),
        List.of(),
        // (a test of the path, not a path directive: the metrics route matches "metrics" itself)
        scrape ->
            d.extractUri(
                uri ->
                    uri.path().equals("/metrics") ? access.loopbackOrSignedIn(scrape) : d.reject()),
        RouteTemplates.openApi("openapi/backoffice.json", PAGES));
    return new BackofficeNode(node, deadLetters);
  }

  /** The Ticket journal as the backoffice's outbox: its events for customers, over AMQP. */
  private static void startEventsRelay(Node node, ChangeFeeds feeds) {
    Config events = node.config().getConfig("helpdesk.ticket-events");
    UnitPublisher publisher =
        UnitPublisher.start(
            node.system(),
            "ticket-events-publisher",
            node.amqp(),
            CustomerEvents::declare,
            new UnitPublisher.Settings(
                events.getInt("publisher.buffer"),
                events.getInt("publisher.max-unconfirmed"),
                events.getDuration("publisher.confirm-timeout"),
                RestartSettings.create(
                    events.getDuration("publisher.restart-min-backoff"),
                    events.getDuration("publisher.restart-max-backoff"),
                    0.2)));
    TicketEventRelay.init(
        node.system(),
        feeds.feed(
            new EventTagTable<>(node.system(), Recorded.type()), events.getInt("relay.batch-size")),
        node.database(),
        publisher,
        new TicketEventRelayMetrics(node.metrics().registry(), node.metrics().sql()),
        new TicketEventRelay.Settings(
            events.getInt("relay.group-size"),
            events.getDuration("relay.group-within"),
            events.getInt("relay.remembered-origins")));
  }

  private static Access access(Config auth, Clock clock) {
    Employees employees =
        Employees.parse(auth.getString("employees"), auth.getString("employees-file"), clock)
            .withChecks(auth.getInt("password-check-threads"), auth.getInt("password-check-queue"));
    if (employees.isEmpty()) {
      log.warn(
          "No employees configured (EMPLOYEES or EMPLOYEES_FILE): nobody can sign in to the backoffice");
    } else {
      log.info("{} employee(s) may sign in to the backoffice", employees.size());
    }
    return new Access(
        employees,
        new Sessions(auth.getString("session-secret"), auth.getDuration("session-ttl"), clock),
        new SignInThrottle(
            new SignInThrottle.Settings(
                auth.getInt("free-failures-per-account-and-address"),
                auth.getInt("free-failures-per-address"),
                auth.getInt("free-failures-per-account"),
                auth.getDuration("base-delay"),
                auth.getDuration("max-delay"),
                auth.getLong("throttle-max-keys"),
                auth.getDuration("throttle-forget-after")),
            clock),
        auth.getBoolean("secure-cookie"),
        TrustedProxies.parse(auth.getString("trusted-proxies")));
  }

  public Node node() {
    return node;
  }

  public DeadLetters deadLetters() {
    return deadLetters;
  }
}
