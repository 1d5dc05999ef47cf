package org.example.helpdesk.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The employee a ticket is assigned to, without the spaces around the name. */
public record Assignee(String value) implements Text {

  public static final int MAX_LENGTH = 200;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Assignee {
    value = TextRules.require("assignee", value, MAX_LENGTH, false).strip();
  }
}
