package org.example.helpdesk.platform.domain;

/** A command whose data breaks a rule of the domain (e.g. a blank description). */
public class InvalidCommandInputException extends RuntimeException {

  public InvalidCommandInputException(String message) {
    super(message, null, false, false);
  }
}
