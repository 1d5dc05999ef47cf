package org.example.helpdesk.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What a customer reports; it becomes the description of the issue's ticket. */
public record IssueContent(String value) implements Text {

  /** As long as a ticket's description may be, which this content becomes. */
  public static final int MAX_LENGTH = Description.MAX_LENGTH;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public IssueContent {
    TextRules.require("content", value, MAX_LENGTH, false);
  }

  public Description asDescription() {
    return new Description(value);
  }
}
