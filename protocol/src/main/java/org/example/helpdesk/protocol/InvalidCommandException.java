package org.example.helpdesk.protocol;

/** A message that can never become a valid distributed command, whatever the retries. */
public final class InvalidCommandException extends Exception {

  public InvalidCommandException(String message) {
    super(message, null, false, false);
  }
}
