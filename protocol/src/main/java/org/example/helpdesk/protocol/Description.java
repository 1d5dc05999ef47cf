package org.example.helpdesk.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What a ticket is about. May be blank: the protocol lets a sender leave it so. */
public record Description(String value) implements Text {

  public static final int MAX_LENGTH = 10_000;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Description {
    TextRules.require("description", value, MAX_LENGTH, true);
  }

  /** Whether it says nothing visible (see {@link TextRules#isBlank}). */
  public boolean isBlank() {
    return TextRules.isBlank(value);
  }
}
