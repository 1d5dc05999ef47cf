package org.example.helpdesk.backoffice.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
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

  /** Applies one event to the table; events of one ticket arrive in the order they were recorded. */
  public static void apply(Connection connection, Ticket.Event event) throws SQLException {
    if (event instanceof Ticket.TicketWasPrepared e) {
        try (PreparedStatement s =
            connection.prepareStatement(
                "INSERT INTO tickets (ticket_id, ticket_type, description, status, assignee, prepared_at, updated_at) "
                    + "VALUES (?, ?, ?, 'awaiting', NULL, ?, ?) ON CONFLICT (ticket_id) DO NOTHING")) {
          s.setObject(1, e.ticketId());
          s.setString(2, e.ticketType());
          s.setString(3, e.description());
          s.setTimestamp(4, Timestamp.from(e.preparedAt()));
          s.setTimestamp(5, Timestamp.from(e.preparedAt()));
          s.executeUpdate();
        }
    } else if (event instanceof Ticket.TicketWasCancelled e) {
        try (PreparedStatement s =
            connection.prepareStatement(
                "UPDATE tickets SET status = 'cancelled', updated_at = ? WHERE ticket_id = ?")) {
          s.setTimestamp(1, Timestamp.from(e.cancelledAt()));
          s.setObject(2, e.ticketId());
          s.executeUpdate();
        }
    } else if (event instanceof Ticket.TicketWasAssigned e) {
        try (PreparedStatement s =
            connection.prepareStatement(
                "UPDATE tickets SET status = 'assigned', assignee = ?, updated_at = ? WHERE ticket_id = ?")) {
          s.setString(1, e.assignee());
          s.setTimestamp(2, Timestamp.from(e.assignedAt()));
          s.setObject(3, e.ticketId());
          s.executeUpdate();
        }
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
