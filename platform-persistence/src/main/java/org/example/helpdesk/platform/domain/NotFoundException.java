package org.example.helpdesk.platform.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A command or query about something that does not exist. */
public final class NotFoundException extends Rejection {

  @JsonCreator
  public NotFoundException(@JsonProperty("message") String message) {
    super(message);
  }
}
