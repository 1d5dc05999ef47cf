package org.example.helpdesk.platform.http;

import org.example.helpdesk.protocol.TextRules;

/** Checks on free text fields of request bodies. */
public final class TextField {

  private TextField() {}

  /** Present, not blank, at most {@code max} characters, and text by {@link TextRules}. */
  public static String require(String field, String value, int max) {
    if (value == null) {
      throw new InvalidRequestException(field + " is required");
    }
    if (TextRules.isBlank(value)) {
      throw new InvalidRequestException(field + " must not be blank");
    }
    if (value.length() > max) {
      throw new InvalidRequestException(field + " must be at most " + max + " characters");
    }
    String problem = TextRules.problem(field, value);
    if (problem != null) {
      throw new InvalidRequestException(problem);
    }
    return value;
  }
}
