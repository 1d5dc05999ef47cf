package org.example.helpdesk.backoffice.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;
import org.example.helpdesk.platform.changefeed.FeedPosition;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.protocol.TraceContext;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tickets projection and its read table, against the real PostgreSQL. */
class TicketProjectionTest {

  private static final String SCHEMA = TestPostgres.newSchemaName("projection");
  private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

  private static ActorTestKit testKit;
  private static Database database;
  private static final Sql sql = new Sql(SCHEMA);

  @BeforeAll
  static void start() {
    database =
        Database.connect(
            new DatabaseSettings(
                TestPostgres.jdbcUrl(),
                TestPostgres.user(),
                TestPostgres.password(),
                SCHEMA,
                4,
                Duration.ofSeconds(5)),
            "projection-test");
    database.migrate(BackofficeNode.MIGRATIONS);
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                "pekko.projection.jdbc.dialect = postgres-dialect\n"
                    + "pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size = 4"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    database.close();
    TestPostgres.dropSchema(SCHEMA);
  }

  @Test
  void eventsBecomeRowsAndTheOffsetIsStoredWithThem() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    List<Ticket.Event> events =
        List.of(
            new Ticket.TicketWasPrepared(
                a,
                new TicketType("customer-issue"),
                new Description("first"),
                T0,
                Ticket.Origin.CUSTOMER_SERVICE),
            new Ticket.TicketWasPrepared(
                b,
                new TicketType("internal"),
                new Description("second"),
                T0.plusSeconds(1),
                Ticket.Origin.BACKOFFICE),
            new Ticket.TicketWasAssigned(a, new Assignee("alice"), T0.plusSeconds(2), "carol"),
            new Ticket.TicketWasCancelled(b, T0.plusSeconds(3), "carol"),
            new Ticket.TicketWasPrepared(
                c,
                new TicketType("customer-issue"),
                new Description("third"),
                T0.plusSeconds(4),
                Ticket.Origin.CUSTOMER_SERVICE),
            new Ticket.TicketWasAssigned(a, new Assignee("bob"), T0.plusSeconds(5), "dave"),
            new Ticket.TicketWasCancelled(a, T0.plusSeconds(6), "erin"));
    ProjectionId id = ProjectionId.of(TicketProjection.NAME, "test-" + UUID.randomUUID());

    ProjectionTestKit.create(testKit.system())
        .run(
            TicketProjection.create(
                testKit.system(),
                id,
                source(events),
                database.dataSource(),
                3,
                Duration.ofMillis(20)),
            Duration.ofSeconds(15),
            () -> {
              assertRow(a, "cancelled", "bob", T0, T0.plusSeconds(6));
              assertRow(b, "cancelled", null, T0.plusSeconds(1), T0.plusSeconds(3));
              assertRow(c, "awaiting", null, T0.plusSeconds(4), T0.plusSeconds(4));
              assertEquals(
                  "1000:7",
                  sql.rows(
                          "SELECT current_offset FROM pekko_projection_offset_store WHERE projection_key = ?",
                          id.key())
                      .get(0)
                      .get("current_offset"));
            });

    TicketReadModel readModel = new TicketReadModel(database);
    TicketView third = readModel.find(c).toCompletableFuture().join().orElseThrow();
    assertEquals(
        new TicketView(
            c,
            new TicketType("customer-issue"),
            new Description("third"),
            Ticket.Status.AWAITING,
            null,
            T0.plusSeconds(4),
            T0.plusSeconds(4),
            null,
            null),
        third);
    assertEquals(Optional.empty(), readModel.find(UUID.randomUUID()).toCompletableFuture().join());
    // who assigned and who cancelled: the latest of each, even when merged in one batch
    TicketView first = readModel.find(a).toCompletableFuture().join().orElseThrow();
    assertEquals(
        List.of("dave", "erin"), java.util.Arrays.asList(first.assignedBy(), first.cancelledBy()));
    TicketView second = readModel.find(b).toCompletableFuture().join().orElseThrow();
    assertEquals(
        java.util.Arrays.asList(null, "carol"),
        java.util.Arrays.asList(second.assignedBy(), second.cancelledBy()));
    List<UUID> cancelledNewestFirst =
        readModel
            .latest(Optional.of(Ticket.Status.CANCELLED), 10)
            .toCompletableFuture()
            .join()
            .stream()
            .map(TicketView::ticketId)
            .toList();
    assertEquals(List.of(b, a), cancelledNewestFirst);
    assertEquals(
        List.of(c),
        readModel.latest(Optional.empty(), 1).toCompletableFuture().join().stream()
            .map(TicketView::ticketId)
            .toList());
  }

  @Test
  void aPreparedEventSeenAgainDoesNotResetTheRow() {
    UUID a = UUID.randomUUID();
    List<Ticket.Event> events =
        List.of(
            new Ticket.TicketWasPrepared(
                a,
                new TicketType("customer-issue"),
                new Description("first"),
                T0,
                Ticket.Origin.CUSTOMER_SERVICE),
            new Ticket.TicketWasCancelled(a, T0.plusSeconds(1), "carol"),
            new Ticket.TicketWasPrepared(
                a,
                new TicketType("customer-issue"),
                new Description("first"),
                T0,
                Ticket.Origin.CUSTOMER_SERVICE));
    ProjectionTestKit.create(testKit.system())
        .run(
            TicketProjection.create(
                testKit.system(),
                ProjectionId.of(TicketProjection.NAME, "again-" + a),
                source(events),
                database.dataSource(),
                10,
                Duration.ofMillis(20)),
            Duration.ofSeconds(15),
            () -> assertRow(a, "cancelled", null, T0, T0.plusSeconds(1)));
  }

  private static TestSourceProvider<String, Change<Recorded<Ticket.Event>>> source(
      List<Ticket.Event> events) {
    List<Change<Recorded<Ticket.Event>>> changes =
        java.util.stream.IntStream.range(0, events.size())
            .mapToObj(
                i ->
                    new Change<>(
                        new FeedPosition(1000, i + 1),
                        "Ticket|" + events.get(i).ticketId(),
                        i + 1,
                        new Recorded<>(events.get(i), TraceContext.none()),
                        T0.toEpochMilli()))
            .toList();
    return TestSourceProvider.create(Source.from(changes), change -> change.position().toString());
  }

  private static void assertRow(
      UUID id, String status, String assignee, Instant preparedAt, Instant updatedAt) {
    List<Map<String, Object>> rows = sql.rows("SELECT * FROM tickets WHERE ticket_id = ?", id);
    assertEquals(1, rows.size(), "row of " + id);
    Map<String, Object> row = rows.get(0);
    assertEquals(status, row.get("status"));
    if (assignee == null) {
      assertNull(row.get("assignee"));
    } else {
      assertEquals(assignee, row.get("assignee"));
    }
    assertEquals(preparedAt, ((java.sql.Timestamp) row.get("prepared_at")).toInstant());
    assertEquals(updatedAt, ((java.sql.Timestamp) row.get("updated_at")).toInstant());
  }
}
