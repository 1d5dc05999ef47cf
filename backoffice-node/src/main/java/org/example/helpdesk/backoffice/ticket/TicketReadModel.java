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
import org.example.helpdesk.platform.db.PlannedEachTime;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;

/** The {@code tickets} table: written by the projection, read by the API. */
public final class TicketReadModel {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  public static final String TABLE = "tickets";

  private final Database database;

  public TicketReadModel(Database database) {
    this.database = database;
  }

  // ---- writes, inside the projection's transaction -------------------------------------------

  /**
   * Applies a group of events, in the order they were recorded: each ticket's events are first
   * folded into at most one insert (its preparation; a ticket prepared again keeps its row) and one
   * update (where its status, assignee and time ended up), which then go to the database as two
   * statements, their rows as arrays.
   */
  public static void apply(Connection connection, List<Ticket.Event> events) throws SQLException {
    apply(connection, events, TABLE);
  }

  /** As {@link #apply(Connection, List)}, into another table of the same columns (a rebuild's). */
  static void apply(Connection connection, List<Ticket.Event> events, String table)
      throws SQLException {
    Map<UUID, Ticket.TicketWasPrepared> inserts = new LinkedHashMap<>();
    Map<UUID, RowUpdate> updates = new LinkedHashMap<>();
    for (Ticket.Event event : events) {
      if (event instanceof Ticket.TicketWasPrepared e) {
        inserts.putIfAbsent(e.ticketId(), e);
      } else if (event instanceof Ticket.TicketWasCancelled e) {
        updates.merge(
            e.ticketId(),
            new RowUpdate(Ticket.Status.CANCELLED, null, e.cancelledAt(), null, e.cancelledBy()),
            RowUpdate::then);
      } else if (event instanceof Ticket.TicketWasAssigned e) {
        updates.merge(
            e.ticketId(),
            new RowUpdate(
                Ticket.Status.ASSIGNED, e.assignee().value(), e.assignedAt(), e.assignedBy(), null),
            RowUpdate::then);
      }
    }
    if (!inserts.isEmpty()) {
      List<Ticket.TicketWasPrepared> prepared = new ArrayList<>(inserts.values());
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO "
                  + table
                  + " (ticket_id, ticket_type, description, status, assignee, prepared_at, updated_at)"
                  + " SELECT t.id, t.type, t.description, ?, NULL, t.at, t.at"
                  + " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[]) AS t(id, type, description, at)"
                  + " ON CONFLICT (ticket_id) DO NOTHING")) {
        s.setString(1, Ticket.Status.AWAITING.toString());
        s.setArray(
            2,
            connection.createArrayOf(
                "uuid", prepared.stream().map(Ticket.TicketWasPrepared::ticketId).toArray()));
        s.setArray(
            3,
            connection.createArrayOf(
                "text", prepared.stream().map(e -> e.ticketType().value()).toArray()));
        s.setArray(
            4,
            connection.createArrayOf(
                "text", prepared.stream().map(e -> e.description().value()).toArray()));
        s.setArray(
            5,
            connection.createArrayOf(
                "timestamptz",
                prepared.stream().map(e -> Timestamp.from(e.preparedAt())).toArray()));
        s.executeUpdate();
      }
    }
    if (!updates.isEmpty()) {
      List<UUID> ids = new ArrayList<>(updates.keySet());
      try (PreparedStatement s =
          connection.prepareStatement(
              "UPDATE "
                  + table
                  + " AS r SET status = u.status, assignee = coalesce(u.assignee, r.assignee), updated_at = u.at,"
                  + " assigned_by = coalesce(u.assigned_by, r.assigned_by), cancelled_by = coalesce(u.cancelled_by, r.cancelled_by)"
                  + " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])"
                  + " AS u(id, status, assignee, at, assigned_by, cancelled_by)"
                  + " WHERE r.ticket_id = u.id")) {
        // (joins the table: planned with its current size, see PlannedEachTime)
        PlannedEachTime.mark(s);
        s.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
        s.setArray(
            2,
            connection.createArrayOf(
                "text", ids.stream().map(id -> updates.get(id).status().toString()).toArray()));
        s.setArray(
            3,
            connection.createArrayOf(
                "text", ids.stream().map(id -> updates.get(id).assignee()).toArray()));
        s.setArray(
            4,
            connection.createArrayOf(
                "timestamptz",
                ids.stream().map(id -> Timestamp.from(updates.get(id).at())).toArray()));
        s.setArray(
            5,
            connection.createArrayOf(
                "text", ids.stream().map(id -> updates.get(id).assignedBy()).toArray()));
        s.setArray(
            6,
            connection.createArrayOf(
                "text", ids.stream().map(id -> updates.get(id).cancelledBy()).toArray()));
        s.executeUpdate();
      }
    }
  }

  /**
   * Tells the console's live pages that rows changed: PostgreSQL delivers a notification only when
   * the transaction commits, so a page that reloads on it sees the new rows.
   */
  static void notifyChanged(Connection connection) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT pg_notify(left(current_schema() || '.' || ?, 63), '')")) {
      s.setString(1, TABLE);
      s.execute();
    }
  }

  /**
   * Where a ticket's row ends up after some of its events; a null value leaves a column as it is.
   */
  private record RowUpdate(
      Ticket.Status status, String assignee, Instant at, String assignedBy, String cancelledBy) {
    RowUpdate then(RowUpdate later) {
      return new RowUpdate(
          later.status(),
          later.assignee() != null ? later.assignee() : assignee,
          later.at(),
          later.assignedBy() != null ? later.assignedBy() : assignedBy,
          later.cancelledBy() != null ? later.cancelledBy() : cancelledBy);
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
    return latest(status, limit, 0);
  }

  /**
   * A page of {@link #latest(Optional, int)}: {@code limit} tickets after the first {@code offset}.
   */
  public CompletionStage<List<TicketView>> latest(
      Optional<Ticket.Status> status, int limit, int offset) {
    return database.run(
        c -> {
          String sql =
              SELECT
                  + (status.isPresent() ? " WHERE status = ?" : "")
                  + " ORDER BY prepared_at DESC, ticket_id LIMIT ? OFFSET ?";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (status.isPresent()) {
              s.setString(i++, status.get().toString());
            }
            s.setInt(i++, limit);
            s.setInt(i, offset);
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
      "SELECT ticket_id, ticket_type, description, status, assignee, prepared_at, updated_at, assigned_by, cancelled_by"
          + " FROM tickets";

  private static TicketView view(ResultSet rs) throws SQLException {
    String assignee = rs.getString("assignee");
    return new TicketView(
        rs.getObject("ticket_id", UUID.class),
        new TicketType(rs.getString("ticket_type")),
        new Description(rs.getString("description")),
        TicketView.status(rs.getString("status")).orElseThrow(),
        assignee == null ? null : new Assignee(assignee),
        rs.getTimestamp("prepared_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("assigned_by"),
        rs.getString("cancelled_by"));
  }
}
