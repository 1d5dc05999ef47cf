package org.example.helpdesk.platform.projection.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.metrics.ProjectionLag;

/**
 * One projection of a node as the admin API shows and controls it: its instances (one per tag),
 * each with its stored offset, its lag (the query its {@link ProjectionLag} metrics use) and its
 * state; pause and resume of all its instances through Pekko Projections' {@link
 * ProjectionManagement} (which stops each instance, stores the flag in {@code
 * pekko_projection_management} and starts it again paused or resumed, wherever it runs).
 */
public final class AdminProjection {

  /** One instance: the offset it stored (null before its first), how far behind, its state. */
  public record Instance(
      String name,
      String key,
      String offset,
      Instant offsetUpdatedAt,
      long lagEvents,
      double lagSeconds,
      String state,
      String error,
      Instant errorAt) {}

  /**
   * The stored offset and the paused flag of one instance, for parameters (name, key, name, key).
   * (Read from the tables rather than asked with {@code ProjectionManagement.isPaused}: that asks
   * the running instance, which reads the same row, and has no answer while it is not running.)
   */
  static final String STORED =
      "SELECT o.current_offset, o.last_updated, coalesce(m.paused, false) AS paused FROM (SELECT 1) one"
          + " LEFT JOIN pekko_projection_offset_store o ON o.projection_name = ? AND o.projection_key = ?"
          + " LEFT JOIN pekko_projection_management m ON m.projection_name = ? AND m.projection_key = ?";

  private final ActorSystem<?> system;
  private final Database database;
  private final String name;
  private final List<String> keys;
  private final String lagSql;
  private final Optional<OffsetLever> offsetLever;

  /**
   * @param lagSql returns (count, age in seconds) for parameters (name, key, key), as given to
   *     {@link ProjectionLag#register}
   */
  public AdminProjection(
      ActorSystem<?> system, Database database, String name, List<String> keys, String lagSql) {
    this(system, database, name, keys, lagSql, null);
  }

  /**
   * @param feed the feed it reads, for moving its offsets ({@link OffsetLever}); null: none
   */
  public AdminProjection(
      ActorSystem<?> system,
      Database database,
      String name,
      List<String> keys,
      String lagSql,
      OffsetLever.Feed feed) {
    this.system = system;
    this.database = database;
    this.name = name;
    this.keys = List.copyOf(keys);
    this.lagSql = lagSql;
    this.offsetLever =
        Optional.ofNullable(feed)
            .map(f -> new OffsetLever(database, f, java.time.Clock.systemUTC()));
  }

  public String name() {
    return name;
  }

  public List<String> keys() {
    return keys;
  }

  public List<ProjectionId> ids() {
    return keys.stream().map(k -> ProjectionId.of(name, k)).toList();
  }

  /** Moves an instance's stored offset, if this projection has a feed that allows it. */
  public Optional<OffsetLever> offsetLever() {
    return offsetLever;
  }

  /** Every instance as it stands now. */
  public CompletionStage<List<Instance>> instances() {
    ProjectionObservations observations = ProjectionObservations.get(system);
    return database.run(
        c -> {
          List<Instance> instances = new ArrayList<>();
          for (String key : keys) {
            instances.add(instance(c, key, observations.of(ProjectionId.of(name, key))));
          }
          return instances;
        });
  }

  private Instance instance(
      Connection c, String key, Optional<ProjectionObservations.Observation> seen)
      throws SQLException {
    Stored stored =
        oneRow(
            c,
            STORED,
            rs -> {
              String offset = rs.getString(1);
              long lastUpdated = rs.getLong(2);
              Instant updated = rs.wasNull() ? null : Instant.ofEpochMilli(lastUpdated);
              return new Stored(offset, updated, rs.getBoolean(3));
            },
            name,
            key,
            name,
            key);
    Lag lag = oneRow(c, lagSql, rs -> new Lag(rs.getLong(1), rs.getDouble(2)), name, key, key);
    String state;
    if (stored.paused()) {
      state = "paused";
    } else if (seen.isPresent() && seen.get().failedSinceProgress() && lag.events() > 0) {
      // it has work, and failed after it last stored an offset: it is failing (and retrying)
      state = "failed";
    } else {
      state = "running";
    }
    return new Instance(
        name,
        key,
        stored.offset(),
        stored.updatedAt(),
        lag.events(),
        Math.round(lag.seconds() * 1000) / 1000.0,
        state,
        seen.map(ProjectionObservations.Observation::lastError).orElse(null),
        seen.map(ProjectionObservations.Observation::lastFailure).orElse(null));
  }

  private record Stored(String offset, Instant updatedAt, boolean paused) {}

  private record Lag(long events, double seconds) {}

  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** The one row the query returns for these parameters, as {@code reader} reads it. */
  private static <T> T oneRow(Connection c, String sql, RowReader<T> reader, String... params)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return reader.read(rs);
      }
    }
  }

  /** Pauses every instance; completes once each is stopped and its flag stored. */
  public CompletionStage<Done> pause() {
    return all(ProjectionManagement.get(system)::pause);
  }

  /** Resumes every instance from its stored offset. */
  public CompletionStage<Done> resume() {
    return all(ProjectionManagement.get(system)::resume);
  }

  /** Pauses or resumes the instances of these keys. */
  public CompletionStage<Done> pause(List<String> which) {
    return each(which, ProjectionManagement.get(system)::pause);
  }

  public CompletionStage<Done> resume(List<String> which) {
    return each(which, ProjectionManagement.get(system)::resume);
  }

  private CompletionStage<Done> all(
      java.util.function.Function<ProjectionId, CompletionStage<Done>> operation) {
    return each(keys, operation);
  }

  private CompletionStage<Done> each(
      List<String> which,
      java.util.function.Function<ProjectionId, CompletionStage<Done>> operation) {
    CompletableFuture<?>[] done =
        which.stream()
            .map(k -> operation.apply(ProjectionId.of(name, k)).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(done).thenApply(ignored -> Done.getInstance());
  }
}
