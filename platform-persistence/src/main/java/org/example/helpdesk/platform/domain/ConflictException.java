package org.example.helpdesk.platform.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A command the current state does not allow (e.g. assigning a cancelled ticket). */
public final class ConflictException extends Rejection {

  @JsonCreator
  public ConflictException(@JsonProperty("message") String message) {
    super(message);
  }
}
