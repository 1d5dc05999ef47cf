package org.example.helpdesk.customer.issue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;

/** An e-mail address. There is no invalid Email: the only way to one is through {@link #of}. */
public record Email(String value) {

  public static final int MAX_LENGTH = 254;

  // pragmatic, not RFC 5322: one @, a dotted domain, no spaces or control characters
  private static final Pattern SURROUNDING_SPACES = Pattern.compile("^ +| +$");
  private static final Pattern SHAPE =
      Pattern.compile(
          "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

  public Email {
    if (value == null
        || value.length() > MAX_LENGTH
        || !SHAPE.matcher(value).matches()
        || value.startsWith(".")
        || value.contains("..")
        || value.contains(".@")) {
      throw new InvalidCommandInputException("email must be a valid e-mail address");
    }
  }

  /** An address as people type it: spaces around it do not count (control characters do). */
  @JsonCreator
  public static Email of(String value) {
    return new Email(value == null ? null : SURROUNDING_SPACES.matcher(value).replaceAll(""));
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }
}
