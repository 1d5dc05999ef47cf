package org.example.helpdesk.backoffice.ticket;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.domain.Entities;
import org.example.helpdesk.platform.persistence.Recorded;

/**
 * What happened to a ticket, oldest first, read from its events in the journal (not the read model,
 * which keeps only where a ticket ended up, and no replies): the API's {@code GET
 * /tickets/{id}/history} and the console's timeline.
 */
public final class TicketHistory {

  /**
   * One event, as people read it. {@code what}: prepared, assigned, answered or cancelled. {@code
   * by}: the employee, or {@code customer-service}; null when not known (an internal ticket's
   * preparation, events recorded before it was kept). {@code details}: what the event says beside.
   */
  public record Entry(Instant at, String what, String by, Map<String, String> details) {}

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  /** On the node's read journal ({@code jdbc-read-journal}, the journal's database). */
  public TicketHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(Adapter.toClassic(system))
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** The ticket's history; empty when it has no events (there is no such ticket). */
  public CompletionStage<Optional<List<Entry>>> of(UUID ticketId) {
    return journal
        .currentEventsByPersistenceId(
            Entities.persistenceId(TicketEntity.TYPE, ticketId).id(), 0L, Long.MAX_VALUE)
        .map(envelope -> entryOf(((Recorded<?>) envelope.event()).event()))
        .runWith(Sink.seq(), system)
        .<Optional<List<Entry>>>thenApply(
            entries -> entries.isEmpty() ? Optional.empty() : Optional.of(entries))
        .exceptionally(
            failure -> {
              throw new CompletionException(unavailable(failure));
            });
  }

  /** A journal that cannot be read is the database's failure (a 503), as everywhere else. */
  private static Throwable unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return new Database.DatabaseException(sql);
      }
    }
    return failure;
  }

  static Entry entryOf(Object event) {
    Map<String, String> details = new LinkedHashMap<>();
    if (event instanceof Ticket.TicketWasPrepared e) {
      boolean fromIssue = e.origin() == Ticket.Origin.CUSTOMER_SERVICE;
      details.put("origin", fromIssue ? Ticket.CUSTOMER_SERVICE : "backoffice");
      details.put("ticketType", e.ticketType().value());
      details.put("description", e.description().value());
      return new Entry(
          e.preparedAt(), "prepared", fromIssue ? Ticket.CUSTOMER_SERVICE : null, details);
    }
    if (event instanceof Ticket.TicketWasAssigned e) {
      details.put("assignee", e.assignee().value());
      return new Entry(e.assignedAt(), "assigned", e.assignedBy(), details);
    }
    if (event instanceof Ticket.TicketWasAnswered e) {
      details.put("reply", e.reply().value());
      return new Entry(e.answeredAt(), "answered", e.answeredBy(), details);
    }
    Ticket.TicketWasCancelled e = (Ticket.TicketWasCancelled) event;
    return new Entry(e.cancelledAt(), "cancelled", e.cancelledBy(), details);
  }
}
