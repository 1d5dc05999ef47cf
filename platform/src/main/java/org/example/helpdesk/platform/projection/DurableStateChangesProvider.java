package org.example.helpdesk.platform.projection;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.state.javadsl.JdbcDurableStateStore;
import org.apache.pekko.persistence.query.DurableStateChange;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.javadsl.DurableStateStoreQuery;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The changes of one tag of the JDBC durable state store, as a projection source: for each entity,
 * its latest revision at the time of reading, ordered by the store's global offset. (The
 * durable-state projection module that would provide this is not available for this Pekko
 * version.)
 */
public final class DurableStateChangesProvider<A> extends SourceProvider<Offset, DurableStateChange<A>> {

  private final DurableStateStoreQuery<A> store;
  private final String tag;

  private DurableStateChangesProvider(DurableStateStoreQuery<A> store, String tag) {
    this.store = store;
    this.tag = tag;
  }

  public static <A> DurableStateChangesProvider<A> changesByTag(ActorSystem<?> system, String tag) {
    return new DurableStateChangesProvider<>(store(system), tag);
  }

  /** The JDBC durable state store of the system, for queries. */
  @SuppressWarnings("unchecked")
  public static <A> DurableStateStoreQuery<A> store(ActorSystem<?> system) {
    return DurableStateStoreRegistry.get(system)
        .getDurableStateStoreFor(JdbcDurableStateStore.class, JdbcDurableStateStore.Identifier());
  }

  @Override
  public CompletionStage<Source<DurableStateChange<A>, NotUsed>> source(
      Supplier<CompletionStage<Optional<Offset>>> offset) {
    return offset.get().thenApply(o -> store.changes(tag, o.orElse(Offset.noOffset())));
  }

  @Override
  public Offset extractOffset(DurableStateChange<A> change) {
    return change.offset();
  }

  @Override
  public long extractCreationTime(DurableStateChange<A> change) {
    if (change instanceof org.apache.pekko.persistence.query.UpdatedDurableState<A> updated) {
      return updated.timestamp();
    }
    if (change instanceof org.apache.pekko.persistence.query.DeletedDurableState<A> deleted) {
      return deleted.timestamp();
    }
    return 0L;
  }
}
