package org.example.helpdesk.platform.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A command whose data breaks a rule of the domain (e.g. a blank description). */
public final class InvalidCommandInputException extends Rejection {

  @JsonCreator
  public InvalidCommandInputException(@JsonProperty("message") String message) {
    super(message);
  }
}
