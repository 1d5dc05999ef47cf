package org.example.helpdesk.backoffice.deadletter;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.backoffice.inbox.InboundMessage;
import org.example.helpdesk.backoffice.inbox.MessageHandler;
import org.example.helpdesk.platform.tracing.Tracing;

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

    /**
     * The corrected body names another ticket than the dead letter's own (it would be applied past
     * that ticket's order); nothing was done.
     */
    record WrongTicket(DeadLetter deadLetter, String problem) implements Replayed {}
  }

  private final DeadLetterTable store;
  private final MessageHandler handling;
  private final Tracing tracing;

  public DeadLetters(DeadLetterTable store, MessageHandler handling) {
    this(store, handling, Tracing.off());
  }

  /**
   * @param tracing replays and deletes are spans, and what they apply continues them
   */
  public DeadLetters(DeadLetterTable store, MessageHandler handling, Tracing tracing) {
    this.store = store;
    this.handling = handling;
    this.tracing = tracing;
  }

  public DeadLetterTable store() {
    return store;
  }

  /**
   * @param replacement a corrected body to replay instead of the stored one
   */
  public CompletionStage<Replayed> replay(long id, Optional<byte[]> replacement) {
    return replay(id, replacement, null);
  }

  /**
   * @param traceparent the trace context of the operator's request, or null
   */
  public CompletionStage<Replayed> replay(
      long id, Optional<byte[]> replacement, String traceparent) {
    return tracing.traced(
        "DeadLetter replay",
        traceparent,
        tp -> replayIn(id, replacement, tp),
        "deadletter.id",
        String.valueOf(id));
  }

  private CompletionStage<Replayed> replayIn(
      long id, Optional<byte[]> replacement, String traceparent) {
    if (replacement.isEmpty()) {
      return claimAndReplay(id, replacement, traceparent);
    }
    return store
        .queries()
        .find(id)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return claimAndReplay(id, replacement, traceparent);
              }
              return wrongTicket(found.get(), replacement.get())
                  .thenCompose(
                      problem ->
                          problem.isPresent()
                              ? CompletableFuture.completedFuture(
                                  new Replayed.WrongTicket(found.get(), problem.get()))
                              : claimAndReplay(id, replacement, traceparent));
            });
  }

  /**
   * What is wrong with the ticket a corrected body names: it must be the dead letter's own; for a
   * dead letter of no ticket (its message could not be read), one without open dead letters.
   */
  private CompletionStage<Optional<String>> wrongTicket(DeadLetter d, byte[] body) {
    UUID named;
    try {
      named = message(d, null).withBody(body).decode().ticketId();
    } catch (org.example.helpdesk.protocol.InvalidCommandException e) {
      return CompletableFuture.completedFuture(Optional.empty()); // (the replay says what is wrong)
    }
    if (d.ticketId() != null) {
      return CompletableFuture.completedFuture(
          named.equals(d.ticketId())
              ? Optional.empty()
              : Optional.of(
                  "the corrected body names ticket "
                      + named
                      + ", but dead letter "
                      + d.id()
                      + " is a command of ticket "
                      + d.ticketId()));
    }
    return store
        .queries()
        .ticketsWithOpenDeadLetters()
        .thenApply(
            tickets ->
                tickets.contains(named)
                    ? Optional.of(
                        "the corrected body names ticket "
                            + named
                            + ", which has open dead letters of its own: replay or delete those")
                    : Optional.empty());
  }

  private CompletionStage<Replayed> claimAndReplay(
      long id, Optional<byte[]> replacement, String traceparent) {
    return store
        .claims()
        .claim(id)
        .thenCompose(
            claim -> {
              if (claim instanceof DeadLetterClaims.Claim.Missing) {
                return CompletableFuture.completedFuture(new Replayed.Missing());
              }
              if (claim instanceof DeadLetterClaims.Claim.Busy busy) {
                return CompletableFuture.completedFuture(new Replayed.Busy(busy.deadLetter()));
              }
              DeadLetter d = ((DeadLetterClaims.Claim.Taken) claim).deadLetter();
              if (replacement.isEmpty() && !d.complete()) {
                return store
                    .claims()
                    .failedAgain(id, d.error())
                    .thenApply(x -> new Replayed.Incomplete(d));
              }
              InboundMessage message = message(d, traceparent);
              return applyAgain(replacement.map(message::withBody).orElse(message))
                  .thenCompose(
                      outcome -> {
                        if (outcome instanceof MessageHandler.Rejected rejected) {
                          return store
                              .claims()
                              .failedAgain(
                                  id,
                                  ReplayErrors.afterFailedReplay(
                                      d.error(), rejected.error(), Instant.now()))
                              .thenApply(x -> new Replayed.FailedAgain(d, rejected.error()));
                        }
                        return store
                            .claims()
                            .resolved(id)
                            .thenCompose(x -> release(d.ticketId(), traceparent))
                            .thenApply(released -> new Replayed.Applied(d, released));
                      });
            });
  }

  /**
   * @return the dead letter deleted, if there was an open one (not being replayed)
   */
  public CompletionStage<Optional<DeadLetter>> delete(long id) {
    return delete(id, null);
  }

  /**
   * @param traceparent the trace context of the operator's request, or null
   */
  public CompletionStage<Optional<DeadLetter>> delete(long id, String traceparent) {
    return tracing.traced(
        "DeadLetter delete",
        traceparent,
        tp ->
            store
                .claims()
                .delete(id)
                .thenCompose(
                    deleted ->
                        deleted.isPresent() && deleted.get().status() == DeadLetter.Status.FAILED
                            ? release(deleted.get().ticketId(), tp).thenApply(released -> deleted)
                            : CompletableFuture.completedFuture(deleted)),
        "deadletter.id",
        String.valueOf(id));
  }

  /** Applies the ticket's parked commands in order until one fails; returns how many applied. */
  CompletionStage<Integer> release(UUID ticketId) {
    return release(ticketId, null);
  }

  private CompletionStage<Integer> release(UUID ticketId, String traceparent) {
    if (ticketId == null) {
      return CompletableFuture.completedFuture(0);
    }
    return releaseFrom(ticketId, 0, traceparent);
  }

  private CompletionStage<Integer> releaseFrom(UUID ticketId, int released, String traceparent) {
    return store
        .claims()
        .nextParked(ticketId)
        .thenCompose(
            next -> {
              if (next.isEmpty()) {
                return CompletableFuture.completedFuture(released);
              }
              DeadLetter d = next.get();
              return applyAgain(message(d, traceparent))
                  .thenCompose(
                      outcome -> {
                        if (outcome instanceof MessageHandler.Rejected rejected) {
                          return store
                              .claims()
                              .becameHead(d.id(), d.messageId(), ticketId, rejected.error())
                              .thenApply(x -> released);
                        }
                        return store
                            .claims()
                            .resolved(d.id())
                            .thenCompose(x -> releaseFrom(ticketId, released + 1, traceparent));
                      });
            });
  }

  /**
   * Applies a dead letter's command again. A failure to apply it (the database away, a timeout)
   * counts as a rejection: the letter stays where it is, to be replayed later.
   */
  private CompletionStage<MessageHandler.Outcome> applyAgain(InboundMessage message) {
    return handling
        .handle(message)
        .exceptionally(
            failure ->
                new MessageHandler.Rejected("could not be applied now: " + failure.getMessage()));
  }

  /** A dead letter to apply again, in the trace context of the operator's action. */
  private static InboundMessage message(DeadLetter d, String traceparent) {
    return InboundMessage.replayed(d.messageId(), d.type(), d.body(), d.headersJson())
        .withTraceparent(traceparent);
  }
}
