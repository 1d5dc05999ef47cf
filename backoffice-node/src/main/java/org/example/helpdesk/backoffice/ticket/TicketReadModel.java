package org.example.helpdesk.backoffice.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.platform.db.Database;

/** The {@code tickets} table: written by the projection, read by the API. */
public final class TicketReadModel {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private final Database database;

  public TicketReadModel(Database database) {
    this.database = database;
  }

  // ---- writes, inside the projection's transaction -------------------------------------------

  /**
   * Applies a group of events, in the order they were recorded: each ticket's events are first
   * folded into at most one insert (its preparation; a ticket prepared again keeps its row) and one
   * update (where its status, assignee and time ended up), which then go to the database as two
   * batches.
   */
  public static void apply(Connection connection, List<Ticket.Event> events) throws SQLException {
    Map<UUID, Ticket.TicketWasPrepared> inserts = new LinkedHashMap<>();
    Map<UUID, RowUpdate> updates = new LinkedHashMap<>();
    for (Ticket.Event event : events) {
      if (event instanceof Ticket.TicketWasPrepared e) {
        inserts.putIfAbsent(e.ticketId(), e);
      } else if (event instanceof Ticket.TicketWasCancelled e) {
        updates.merge(e.ticketId(), new RowUpdate(Ticket.Status.CANCELLED, null, e.cancelledAt()), RowUpdate::then);
      } else if (event instanceof Ticket.TicketWasAssigned e) {
        updates.merge(e.ticketId(), new RowUpdate(Ticket.Status.ASSIGNED, e.assignee(), e.assignedAt()), RowUpdate::then);
      }
    }
    if (!inserts.isEmpty()) {
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO tickets (ticket_id, ticket_type, description, status, assignee, prepared_at, updated_at) "
                  + "VALUES (?, ?, ?, ?, NULL, ?, ?) ON CONFLICT (ticket_id) DO NOTHING")) {
        for (Ticket.TicketWasPrepared e : inserts.values()) {
          s.setObject(1, e.ticketId());
          s.setString(2, e.ticketType());
          s.setString(3, e.description());
          s.setString(4, TicketView.statusName(Ticket.Status.AWAITING));
          s.setTimestamp(5, Timestamp.from(e.preparedAt()));
          s.setTimestamp(6, Timestamp.from(e.preparedAt()));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!updates.isEmpty()) {
      try (PreparedStatement s =
          connection.prepareStatement(
              "UPDATE tickets SET status = ?, assignee = coalesce(?, assignee), updated_at = ? WHERE ticket_id = ?")) {
        for (Map.Entry<UUID, RowUpdate> u : updates.entrySet()) {
          s.setString(1, TicketView.statusName(u.getValue().status()));
          s.setString(2, u.getValue().assignee());
          s.setTimestamp(3, Timestamp.from(u.getValue().at()));
          s.setObject(4, u.getKey());
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }

  /** Where a ticket's row ends up after some of its events; a null assignee leaves it as it is. */
  private record RowUpdate(Ticket.Status status, String assignee, Instant at) {
    RowUpdate then(RowUpdate later) {
      return new RowUpdate(later.status(), later.assignee() != null ? later.assignee() : assignee, later.at());
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  public CompletionStage<Optional<TicketView>> find(UUID ticketId) {
    return database.run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE ticket_id = ?")) {
            s.setObject(1, ticketId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
          }
        });
  }

  /** The last prepared tickets, newest first, optionally only those in one status. */
  public CompletionStage<List<TicketView>> latest(Optional<Ticket.Status> status, int limit) {
    return database.run(
        c -> {
          String sql =
              SELECT
                  + (status.isPresent() ? " WHERE status = ?" : "")
                  + " ORDER BY prepared_at DESC, ticket_id LIMIT ?";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (status.isPresent()) {
              s.setString(i++, TicketView.statusName(status.get()));
            }
            s.setInt(i, limit);
            try (ResultSet rs = s.executeQuery()) {
              List<TicketView> tickets = new ArrayList<>();
              while (rs.next()) {
                tickets.add(view(rs));
              }
              return tickets;
            }
          }
        });
  }

  private static final String SELECT =
      "SELECT ticket_id, ticket_type, description, status, assignee, prepared_at, updated_at FROM tickets";

  private static TicketView view(ResultSet rs) throws SQLException {
    return new TicketView(
        rs.getObject("ticket_id", UUID.class),
        rs.getString("ticket_type"),
        rs.getString("description"),
        rs.getString("status"),
        rs.getString("assignee"),
        rs.getTimestamp("prepared_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
