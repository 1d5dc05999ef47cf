package org.example.helpdesk.backoffice.events;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketEntity;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.PlannedEachTime;
import org.example.helpdesk.platform.domain.Entities;
import org.example.helpdesk.platform.persistence.Recorded;

/**
 * Where tickets came from, as their first event in the journal says: a ticket's event number 1 is
 * always its preparation (the rules record nothing before it), and it never changes. So the answer
 * is right whatever the relay replays, and never waits for the read model (which a rebuild may be
 * refilling). What was asked or seen is kept, bounded; a ticket's later events mostly come soon
 * after its preparation.
 */
final class TicketOrigins {

  private static final String FIRST_EVENTS =
      "SELECT j.persistence_id, j.event_payload, j.event_ser_id, j.event_ser_manifest"
          + " FROM unnest(?::text[]) AS wanted(id)"
          + " JOIN event_journal j ON j.persistence_id = wanted.id AND j.sequence_number = 1";

  private final Database database;
  private final Serialization serialization;
  private final Map<UUID, Ticket.Origin> known;

  TicketOrigins(ActorSystem<?> system, Database database, int remembered) {
    this.database = database;
    this.serialization = SerializationExtension.get(system);
    this.known =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, Ticket.Origin> eldest) {
            return size() > remembered;
          }
        };
  }

  /** Remembers the origin of a preparation the relay read. */
  synchronized void prepared(Ticket.TicketWasPrepared event) {
    known.put(event.ticketId(), event.origin());
  }

  /**
   * The origins of these tickets; a ticket whose preparation is not in the journal (it cannot be)
   * is left out.
   */
  CompletionStage<Map<UUID, Ticket.Origin>> of(Collection<UUID> tickets) {
    Map<UUID, Ticket.Origin> found = new HashMap<>();
    List<UUID> unknown;
    synchronized (this) {
      unknown =
          tickets.stream()
              .distinct()
              .filter(
                  id -> {
                    Ticket.Origin origin = known.get(id);
                    if (origin != null) {
                      found.put(id, origin);
                    }
                    return origin == null;
                  })
              .toList();
    }
    if (unknown.isEmpty()) {
      return CompletableFuture.completedFuture(found);
    }
    return database
        .run(c -> read(c, unknown))
        .thenApply(
            read -> {
              synchronized (this) {
                known.putAll(read);
              }
              found.putAll(read);
              return found;
            });
  }

  private Map<UUID, Ticket.Origin> read(Connection connection, List<UUID> tickets)
      throws SQLException {
    Map<UUID, Ticket.Origin> origins = new HashMap<>();
    try (PreparedStatement s = connection.prepareStatement(FIRST_EVENTS)) {
      PlannedEachTime.mark(s);
      Array ids =
          connection.createArrayOf(
              "text",
              tickets.stream()
                  .map(id -> Entities.persistenceId(TicketEntity.TYPE, id).id())
                  .toArray());
      s.setArray(1, ids);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Ticket.Event event = decode(rs);
          if (event instanceof Ticket.TicketWasPrepared prepared) {
            origins.put(prepared.ticketId(), prepared.origin());
          }
        }
      }
      ids.free();
    }
    return origins;
  }

  private Ticket.Event decode(ResultSet rs) throws SQLException {
    String manifest = rs.getString(4);
    Object value =
        serialization
            .deserialize(rs.getBytes(2), rs.getInt(3), manifest == null ? "" : manifest)
            .get();
    @SuppressWarnings("unchecked")
    Recorded<Ticket.Event> recorded = (Recorded<Ticket.Event>) value;
    return recorded.event();
  }
}
