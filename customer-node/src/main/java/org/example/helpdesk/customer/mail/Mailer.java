package org.example.helpdesk.customer.mail;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.customer.issue.StoredIssue;
import org.example.helpdesk.customer.outbox.OutboxRelay;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;
import org.example.helpdesk.platform.changefeed.FeedProjections;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.PooledJdbcSession;
import org.example.helpdesk.platform.projection.admin.ProjectionObservations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails the customers what their issues' notification facts say: a projection over the issues'
 * change feed, like the outbox relay and beside it (one instance per tag), so that a slow or absent
 * mail server never holds back the commands to the backoffice.
 *
 * <p>Each mail is sent on its own, in order per issue, and recorded as done once the server
 * accepted it ({@link MailLedger}). A refusal for good (5xx) is kept for an operator and passed.
 * Anything worth a retry (server down, 4xx, broken connection) fails the group: the projection
 * starts again from its offset after a backoff, passes what is recorded as done and tries that mail
 * again — so the mail goes out once the server is back (twice at worst, after an unknown outcome,
 * with the same Message-ID).
 */
public final class Mailer {

  public static final String NAME = "mailer";

  private static final Logger log = LoggerFactory.getLogger(Mailer.class);

  /** How changes are grouped, and how long to wait before trying a server that was not there. */
  public record Settings(
      int groupSize, Duration groupWithin, Duration minBackoff, Duration maxBackoff) {}

  private Mailer() {}

  public static void init(
      ActorSystem<?> system,
      CommitOrderedFeed<StoredIssue> issues,
      Database database,
      SmtpMailSender sender,
      PrometheusRegistry registry,
      Settings settings) {
    Metrics metrics = new Metrics(registry);
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    FeedProjections.initPerTag(
        system,
        NAME,
        NAME,
        issues,
        IssueEntity.tags(),
        (id, changes) ->
            create(system, id, changes, new Send(database, sender, metrics, blocking), settings));
  }

  static GroupedProjection<String, Change<StoredIssue>> create(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<String, Change<StoredIssue>> changes,
      Send send,
      Settings settings) {
    return JdbcProjection.groupedWithinAsync(
            id,
            changes,
            () -> new PooledJdbcSession(send.database.dataSource()),
            () -> send,
            system)
        .withGroup(settings.groupSize(), settings.groupWithin())
        .withRestartBackoff(settings.minBackoff(), settings.maxBackoff(), 0.2)
        .withStatusObserver(ProjectionObservations.get(system).observer());
  }

  /** A try to be made again later: fails the group, which the projection restarts from. */
  static final class MailDeferred extends RuntimeException {
    MailDeferred(String message) {
      super(message, null, false, false);
    }
  }

  /** Sends the notifications of a group, each at most once it is recorded as done. */
  static final class Send extends Handler<List<Change<StoredIssue>>> {
    private final Database database;
    private final SmtpMailSender sender;
    private final Metrics metrics;
    private final Executor blocking;
    private final Clock clock = Clock.systemUTC();

    Send(Database database, SmtpMailSender sender, Metrics metrics, Executor blocking) {
      this.database = database;
      this.sender = sender;
      this.metrics = metrics;
      this.blocking = blocking;
    }

    @Override
    public CompletionStage<Done> process(List<Change<StoredIssue>> changes) {
      Map<String, Change<StoredIssue>> latest = OutboxRelay.latestWithEntries(changes);
      if (latest.values().stream().noneMatch(c -> hasNotification(c.value()))) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      // one blocking task per group: SMTP is a blocking protocol, and the mails go one by one
      return CompletableFuture.supplyAsync(() -> sendAll(latest), blocking);
    }

    private static boolean hasNotification(StoredIssue issue) {
      return issue.outbox().stream().anyMatch(e -> e.fact() instanceof Issue.NotificationWasQueued);
    }

    private Done sendAll(Map<String, Change<StoredIssue>> latest) {
      Map<String, Long> done =
          database.run(c -> MailLedger.doneUpTo(c, latest.keySet())).toCompletableFuture().join();
      latest.forEach(
          (persistenceId, change) -> {
            StoredIssue issue = change.value();
            List<StoredIssue.Entry> entries =
                issue.entriesAfter(done.getOrDefault(persistenceId, 0L));
            for (StoredIssue.Entry entry : entries) {
              Optional<Mail> mail = Notifications.mailOf(issue, entry);
              if (mail.isPresent()) {
                send(persistenceId, issue.issue().issueId(), entry.number(), mail.get());
              }
            }
          });
      return Done.getInstance();
    }

    private void send(String persistenceId, UUID issueId, long number, Mail mail) {
      MailOutcome outcome = sender.send(mail);
      if (outcome instanceof MailOutcome.Sent) {
        metrics.sent.inc();
        record(c -> MailLedger.done(c, persistenceId, number));
      } else if (outcome instanceof MailOutcome.Rejected no) {
        metrics.refused.inc();
        log.warn(
            "The mail server refused the mail {} for good ({}): kept as a failed notification",
            mail.messageId(),
            no.code());
        MailLedger.Failure failure =
            new MailLedger.Failure(
                issueId, number, mail.to(), no.code(), no.reason(), clock.instant());
        record(c -> MailLedger.failed(c, persistenceId, failure));
      } else {
        metrics.deferred.inc();
        throw new MailDeferred(
            "mail "
                + mail.messageId()
                + " deferred: "
                + ((MailOutcome.RetryLater) outcome).reason());
      }
    }

    private interface Step {
      void apply(Connection connection) throws SQLException;
    }

    private void record(Step step) {
      database
          .transact(
              c -> {
                step.apply(c);
                return Done.getInstance();
              })
          .toCompletableFuture()
          .join();
    }
  }

  /** What an operator watches of the mailer. */
  static final class Metrics {
    final Counter sent;
    final Counter refused;
    final Counter deferred;

    Metrics(PrometheusRegistry registry) {
      sent =
          Counter.builder()
              .name("helpdesk_mail_sent")
              .help("Mails the SMTP server accepted")
              .register(registry);
      refused =
          Counter.builder()
              .name("helpdesk_mail_refused")
              .help("Mails the SMTP server refused for good (kept as failed notifications)")
              .register(registry);
      deferred =
          Counter.builder()
              .name("helpdesk_mail_deferred")
              .help("Tries to send a mail that are to be made again (server down, 4xx)")
              .register(registry);
    }
  }
}
