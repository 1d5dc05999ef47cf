package org.example.helpdesk.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Messages named on the wire (the AMQP {@code type}) with a JSON body: maps each name to its Java
 * type and reads a body as strictly as {@link StrictJson} says, describing what is wrong in words
 * that name the field.
 */
final class NamedJsonCodec<T> {

  /** Why a body can never become a message of its type. */
  static final class InvalidBody extends Exception {
    InvalidBody(String message) {
      super(message, null, false, false);
    }
  }

  private final String kind;
  private final Map<String, Class<? extends T>> types;
  private final Map<Class<? extends T>, String> names;
  private final ObjectMapper json;

  /**
   * @param kind what the messages are, for errors ({@code command}, {@code event})
   */
  NamedJsonCodec(String kind, Map<String, Class<? extends T>> types, ObjectMapper json) {
    this.kind = kind;
    this.types = Map.copyOf(types);
    this.names =
        types.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
    this.json = json;
  }

  String nameOf(T message) {
    return names.get(message.getClass());
  }

  Optional<Class<? extends T>> typeOf(String name) {
    return Optional.ofNullable(name).map(types::get);
  }

  byte[] toJson(T message) {
    try {
      return json.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a distributed " + kind + " must always serialize", e);
    }
  }

  T fromJson(String name, byte[] body) throws InvalidBody {
    Class<? extends T> type =
        typeOf(name)
            .orElseThrow(
                () ->
                    new InvalidBody(
                        "unknown "
                            + kind
                            + " type '"
                            + name
                            + "', expected one of "
                            + types.keySet()));
    if (body == null || body.length == 0) {
      throw new InvalidBody(name + ": empty body");
    }
    if (!TextRules.isWellFormedUtf8(body)) {
      throw new InvalidBody(name + ": malformed JSON: the body is not valid UTF-8");
    }
    try {
      T message = json.readValue(body, type);
      if (message == null) {
        throw new InvalidBody(name + ": body is JSON null");
      }
      return message;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidBody(name + ": " + cause.getMessage());
    } catch (MismatchedInputException e) {
      throw new InvalidBody(name + ": " + JsonFieldErrors.describe(e));
    } catch (JsonProcessingException e) {
      throw new InvalidBody(
          name + ": malformed JSON: " + JsonFieldErrors.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidBody(name + ": unreadable body: " + e.getMessage());
    }
  }
}
