package org.example.helpdesk.platform.http;

/** Checks on free text fields of request bodies. */
public final class TextField {

  private TextField() {}

  /**
   * Present, not blank, at most {@code max} characters, and without control characters other than
   * tab and line breaks.
   */
  public static String require(String field, String value, int max) {
    if (value == null) {
      throw new InvalidRequestException(field + " is required");
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(field + " must not be blank");
    }
    if (value.length() > max) {
      throw new InvalidRequestException(field + " must be at most " + max + " characters");
    }
    if (hasControlCharacters(value)) {
      throw new InvalidRequestException(field + " must not contain control characters");
    }
    return value;
  }

  public static boolean hasControlCharacters(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        return true;
      }
    }
    return false;
  }
}
