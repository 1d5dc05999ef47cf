package org.example.helpdesk.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What an employee writes back to the customer on a ticket: the same text rules as a report. */
public record SupportReply(String value) implements Text {

  public static final int MAX_LENGTH = IssueContent.MAX_LENGTH;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public SupportReply {
    TextRules.require("reply", value, MAX_LENGTH, false);
  }
}
