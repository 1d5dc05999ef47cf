package org.example.helpdesk.protocol;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Says in plain words which field of a JSON document did not fit, and how. */
public final class JsonFieldErrors {

  private JsonFieldErrors() {}

  /** The dotted path of the field the error is about; empty for the document itself. */
  public static String field(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  /** E.g. "invalid field 'ticketId': expected a UUID". */
  public static String describe(MismatchedInputException e) {
    String field = field(e);
    if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
      return "malformed JSON: there is more after the JSON value";
    }
    if (field.isEmpty()) {
      return "the body must be a JSON object";
    }
    Class<?> target = e.getTargetType();
    String expected = target == null ? null : expected(target);
    if (expected == null) {
      String message = e.getOriginalMessage();
      int cut = message == null ? -1 : message.indexOf('\n');
      return "invalid field '" + field + "': " + (cut < 0 ? message : message.substring(0, cut));
    }
    String got = e instanceof InvalidFormatException f ? " (got '" + f.getValue() + "')" : "";
    return "invalid field '" + field + "': expected " + expected + got;
  }

  /** The first line of a parser message, without the parser's internals. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    if (message.contains("nesting depth")) {
      return "nested too deeply";
    }
    int cut = message.indexOf('\n');
    return cut < 0 ? message : message.substring(0, cut);
  }

  private static String expected(Class<?> target) {
    if (target == String.class || Text.class.isAssignableFrom(target)) {
      return "a string";
    }
    if (target == UUID.class) {
      return "a UUID";
    }
    if (Number.class.isAssignableFrom(target)
        || (target.isPrimitive() && target != boolean.class)) {
      return "a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (Temporal.class.isAssignableFrom(target)) {
      return "an ISO-8601 time";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(target) || target.isRecord()) {
      return "an object";
    }
    return null;
  }
}
