package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What an operator does with dead letters, keeping each ticket's commands in order: replaying a
 * failed command applies it, and then the commands parked behind it, in the order they arrived;
 * deleting it releases them the same way. The first of them that fails becomes the ticket's new
 * head, and the rest stay parked behind it.
 */
public final class DeadLetters {

  /** How a replay ended. */
  public sealed interface Replayed {
    /** Applied; {@code released} parked commands were applied after it. */
    record Applied(DeadLetter deadLetter, int released) implements Replayed {}

    /** It failed again and stays the ticket's head. */
    record FailedAgain(DeadLetter deadLetter, String error) implements Replayed {}

    /** It is parked behind another dead letter, or being replayed right now. */
    record Busy(DeadLetter deadLetter) implements Replayed {}

    /** Only the start of its body was kept (it was larger than the inbox takes). */
    record Incomplete(DeadLetter deadLetter) implements Replayed {}

    record Missing() implements Replayed {}
  }

  private final DeadLetterStore store;
  private final CommandHandling handling;

  public DeadLetters(DeadLetterStore store, CommandHandling handling) {
    this.store = store;
    this.handling = handling;
  }

  public DeadLetterStore store() {
    return store;
  }

  /** @param replacement a corrected body to replay instead of the stored one */
  public CompletionStage<Replayed> replay(long id, Optional<byte[]> replacement) {
    return store
        .claim(id)
        .thenCompose(
            claim -> {
              if (claim instanceof DeadLetterStore.Claim.Missing) {
                return CompletableFuture.completedFuture(new Replayed.Missing());
              }
              if (claim instanceof DeadLetterStore.Claim.Busy busy) {
                return CompletableFuture.completedFuture(new Replayed.Busy(busy.deadLetter()));
              }
              DeadLetter d = ((DeadLetterStore.Claim.Taken) claim).deadLetter();
              if (replacement.isEmpty() && !d.complete()) {
                return store.failedAgain(id, d.error()).thenApply(x -> new Replayed.Incomplete(d));
              }
              InboundMessage message = message(d);
              return handling
                  .handle(replacement.map(message::withBody).orElse(message))
                  .exceptionally(failure -> new CommandHandling.Rejected("could not be applied now: " + failure.getMessage()))
                  .thenCompose(
                      outcome -> {
                        if (outcome instanceof CommandHandling.Rejected rejected) {
                          return store.failedAgain(id, rejected.error()).thenApply(x -> new Replayed.FailedAgain(d, rejected.error()));
                        }
                        return store
                            .resolved(id)
                            .thenCompose(x -> release(d.ticketId()))
                            .thenApply(released -> new Replayed.Applied(d, released));
                      });
            });
  }

  /** @return the dead letter deleted, if there was an open one (not being replayed) */
  public CompletionStage<Optional<DeadLetter>> delete(long id) {
    return store
        .delete(id)
        .thenCompose(
            deleted ->
                deleted.isPresent() && deleted.get().status() == DeadLetter.Status.FAILED
                    ? release(deleted.get().ticketId()).thenApply(released -> deleted)
                    : CompletableFuture.completedFuture(deleted));
  }

  /** Applies the ticket's parked commands in order until one fails; returns how many applied. */
  CompletionStage<Integer> release(UUID ticketId) {
    if (ticketId == null) {
      return CompletableFuture.completedFuture(0);
    }
    return releaseFrom(ticketId, 0);
  }

  private CompletionStage<Integer> releaseFrom(UUID ticketId, int released) {
    return store
        .nextParked(ticketId)
        .thenCompose(
            next -> {
              if (next.isEmpty()) {
                return CompletableFuture.completedFuture(released);
              }
              DeadLetter d = next.get();
              return handling
                  .handle(message(d))
                  .exceptionally(failure -> new CommandHandling.Rejected("could not be applied now: " + failure.getMessage()))
                  .thenCompose(
                      outcome -> {
                        if (outcome instanceof CommandHandling.Rejected rejected) {
                          return store
                              .becameHead(d.id(), d.messageId(), ticketId, rejected.error())
                              .thenApply(x -> released);
                        }
                        return store.resolved(d.id()).thenCompose(x -> releaseFrom(ticketId, released + 1));
                      });
            });
  }

  private static InboundMessage message(DeadLetter d) {
    return InboundMessage.replayed(d.messageId(), d.type(), d.body(), d.headersJson());
  }
}
