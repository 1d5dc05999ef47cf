package org.example.helpdesk.backoffice.inbox;

import java.util.concurrent.CompletionStage;

/**
 * What applies an inbound message to the entities: the inbox's stream, and a replay of a dead
 * letter outside it, go through the same one ({@link CommandHandling}).
 */
public interface MessageHandler {

  /** How a message ended. */
  sealed interface Outcome permits Processed, Rejected {}

  /** The entity did what the command asked, or found it done already. */
  record Processed(String command) implements Outcome {}

  /** The message can never succeed as it is. */
  record Rejected(String error) implements Outcome {}

  /**
   * The outcome; fails when the failure may pass (database down, entity not answering in time) and
   * the message should be tried again.
   */
  CompletionStage<Outcome> handle(InboundMessage message);
}
