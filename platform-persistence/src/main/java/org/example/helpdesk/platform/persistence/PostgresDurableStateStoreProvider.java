package org.example.helpdesk.platform.persistence;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.state.DurableStateStoreProvider;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.apache.pekko.serialization.SerializationExtension;
import org.example.helpdesk.platform.changefeed.ChangeNotifier;
import org.example.helpdesk.platform.changefeed.DurableStateTable;
import org.example.helpdesk.platform.db.ConnectionPools;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import scala.Option;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The durable state store plugin ({@code pekko.persistence.state.plugin}) behind every {@code
 * DurableStateBehavior} of a node: {@link PostgresDurableStateStore} on a connection pool of its
 * own, in the node's schema ({@code helpdesk.database}); after each commit it wakes the table's
 * followers.
 */
public final class PostgresDurableStateStoreProvider implements DurableStateStoreProvider {

  private final PostgresDurableStateStore store;

  public PostgresDurableStateStoreProvider(
      ExtendedActorSystem system, Config pluginConfig, String configPath) {
    int lanes = pluginConfig.getInt("lanes");
    DatabaseSettings db = DatabaseSettings.from(system.settings().config());
    // one connection per lane, with the node's timeouts (socket, statement, connection)
    Database pool = Database.connect(db.withPoolSize(lanes), system.name() + "-state");
    ConnectionPools.get(Adapter.toTyped(system))
        .add("state", () -> (HikariDataSource) pool.dataSource());
    ChangeNotifier followers = ChangeNotifier.start(db, system.name(), DurableStateTable.TABLE);
    store =
        new PostgresDurableStateStore(
            pool.dataSource(),
            SerializationExtension.get(system),
            lanes,
            pluginConfig.getInt("max-batch"),
            pluginConfig.getDuration("linger"),
            followers::changed,
            system.name(),
            pluginConfig.hasPath("max-waiting") ? pluginConfig.getInt("max-waiting") : 10_000,
            db.connectionTimeout(),
            db.callTimeout());
    system.registerOnTermination(
        () -> {
          store.close();
          followers.close();
          pool.close();
        });
  }

  @Override
  public org.apache.pekko.persistence.state.scaladsl.DurableStateStore<Object>
      scaladslDurableStateStore() {
    return new Scaladsl(store);
  }

  @Override
  public org.apache.pekko.persistence.state.javadsl.DurableStateStore<Object>
      javadslDurableStateStore() {
    return new Javadsl(store);
  }

  /** What {@code DurableStateBehavior} talks to. */
  private record Scaladsl(PostgresDurableStateStore store)
      implements org.apache.pekko.persistence.state.scaladsl.DurableStateUpdateStore<Object> {

    @Override
    public Future<org.apache.pekko.persistence.state.scaladsl.GetObjectResult<Object>> getObject(
        String persistenceId) {
      return FutureConverters.asScala(
          store
              .get(persistenceId)
              .thenApply(
                  s ->
                      new org.apache.pekko.persistence.state.scaladsl.GetObjectResult<>(
                          Option.apply(s.value()), s.revision())));
    }

    @Override
    public Future<Done> upsertObject(
        String persistenceId, long revision, Object value, String tag) {
      return FutureConverters.asScala(store.upsert(persistenceId, revision, value, tag));
    }

    @Override
    public Future<Done> deleteObject(String persistenceId) {
      return FutureConverters.asScala(store.delete(persistenceId));
    }

    @Override
    public Future<Done> deleteObject(String persistenceId, long revision) {
      return FutureConverters.asScala(store.delete(persistenceId));
    }
  }

  private record Javadsl(PostgresDurableStateStore store)
      implements org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore<Object> {

    @Override
    public CompletionStage<GetObjectResult<Object>> getObject(String persistenceId) {
      return store
          .get(persistenceId)
          .thenApply(
              s -> new GetObjectResult<>(java.util.Optional.ofNullable(s.value()), s.revision()));
    }

    @Override
    public CompletionStage<Done> upsertObject(
        String persistenceId, long revision, Object value, String tag) {
      return store.upsert(persistenceId, revision, value, tag);
    }

    @Override
    public CompletionStage<Done> deleteObject(String persistenceId) {
      return store.delete(persistenceId);
    }

    @Override
    public CompletionStage<Done> deleteObject(String persistenceId, long revision) {
      return store.delete(persistenceId);
    }
  }
}
