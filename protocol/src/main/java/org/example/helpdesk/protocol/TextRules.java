package org.example.helpdesk.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What counts as text in this system, wherever it comes in (HTTP bodies, AMQP messages):
 * well-formed UTF-8, whole Unicode characters, and no control characters but tab and line breaks.
 */
public final class TextRules {

  private TextRules() {}

  /**
   * Strictly well-formed UTF-8: no overlong forms, no encoded surrogates, nothing past U+10FFFF.
   * (Jackson's own decoder lets some of those through.)
   */
  public static boolean isWellFormedUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * No visible character at all: empty, or only white space, Unicode spaces (U+00A0, U+202F ...)
   * and invisible format characters (U+200B, U+FEFF ...). {@code String.isBlank} knows only the
   * first.
   */
  public static boolean isBlank(String value) {
    return value
        .codePoints()
        .allMatch(
            cp ->
                Character.isWhitespace(cp)
                    || Character.isSpaceChar(cp)
                    || Character.getType(cp) == Character.FORMAT);
  }

  /**
   * Makes text safe to store in PostgreSQL, which refuses NUL in text and half characters in UTF-8:
   * each becomes U+FFFD. For text that must be kept whatever it holds, such as what a broken
   * message carried.
   */
  public static String storable(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else if (c == 0 || Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The value, if it is present, not blank (unless {@code mayBeBlank}), at most {@code maxLength}
   * characters and text by these rules; else an {@link InvalidValueException} that names the field
   * and the first rule broken, one message for each rule.
   */
  public static String require(String field, String value, int maxLength, boolean mayBeBlank) {
    if (value == null) {
      throw new InvalidValueException(field + " is required");
    }
    if (!mayBeBlank && isBlank(value)) {
      throw new InvalidValueException(field + " must not be blank");
    }
    if (value.length() > maxLength) {
      throw new InvalidValueException(field + " must be at most " + maxLength + " characters");
    }
    String problem = problem(field, value);
    if (problem != null) {
      throw new InvalidValueException(problem);
    }
    return value;
  }

  /** What is wrong with this text as the value of {@code field}, or null when nothing is. */
  public static String problem(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        return field + " must not contain control characters";
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return field + " must be valid Unicode text (it holds half a character)";
      }
    }
    return null;
  }
}
