package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Where the inbox hands what it gives up on: the inbox's only view of the dead-letter feature
 * (which implements it), so that the inbox knows nothing of its tables, replays or pages.
 */
public interface DeadLetterStore {

  /** How much of a body larger than the inbox takes is kept (its full size is kept too). */
  int KEPT_OF_OVERSIZED_BODY = 64 * 1024;

  /**
   * Keeps a message that cannot succeed as its ticket's head. The same message failing again (a
   * redelivery) counts as another attempt, with this delivery's body, headers and error; one that
   * was replayed or deleted in the meantime is not brought back.
   *
   * @param ticketId its ticket, or null when the message names none
   * @return whether it is kept
   */
  CompletionStage<Boolean> record(InboundMessage message, UUID ticketId, String error);

  /**
   * Parks a command behind its ticket's open dead letters, if there are any: it is kept, and
   * applied when they are replayed or deleted.
   *
   * @return the message id it waits for, or empty when the ticket has no open dead letter (the
   *     command may be applied now)
   */
  CompletionStage<Optional<String>> parkBehind(InboundMessage message, UUID ticketId);

  /** Tickets that have open dead letters. */
  CompletionStage<Set<UUID>> ticketsWithOpenDeadLetters();
}
