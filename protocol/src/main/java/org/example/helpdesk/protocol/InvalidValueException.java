package org.example.helpdesk.protocol;

/** A value that breaks a rule of its type; the message names the field and the rule. */
public final class InvalidValueException extends IllegalArgumentException {

  public InvalidValueException(String message) {
    super(message);
  }
}
