package org.example.helpdesk.protocol;

/** A message that can never become a valid distributed event, whatever the retries. */
public final class InvalidEventException extends Exception {

  public InvalidEventException(String message) {
    super(message, null, false, false);
  }
}
