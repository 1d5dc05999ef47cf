package org.example.helpdesk.platform.persistence;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.example.helpdesk.platform.persistence.PostgresDurableStateStore.Stored;

/**
 * What a caller asked of the {@link PostgresDurableStateStore}, waiting for a lane and then run in
 * a batch by {@link StateBatch}: the caller holds the future, whoever finishes the operation (the
 * lane, the deadline watch, closing) completes it.
 */
sealed interface StateOp permits StateOp.Read, StateOp.Write, StateOp.Delete {

  /** When it was asked for ({@link System#nanoTime}). */
  long asked();

  /** Its caller's answer. */
  CompletableFuture<?> result();

  /** Answers its caller with a failure (nothing when it was answered already). */
  default void fail(Throwable e) {
    result().completeExceptionally(e);
  }

  record Read(String persistenceId, CompletableFuture<Stored> result, long asked)
      implements StateOp {}

  /** A revision, serialized by the caller's thread (so the lanes only do SQL). */
  record Write(
      String persistenceId,
      long revision,
      byte[] payload,
      int serializerId,
      String manifest,
      String tag,
      long timestamp,
      CompletableFuture<Done> result,
      long asked)
      implements StateOp {}

  record Delete(String persistenceId, CompletableFuture<Done> result, long asked)
      implements StateOp {}
}
