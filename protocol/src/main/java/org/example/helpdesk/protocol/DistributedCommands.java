package org.example.helpdesk.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that maps a command's name on the wire to its Java type and its JSON body.
 *
 * <p>Bodies are read as a tolerant reader: unknown fields are ignored so that a newer sender can
 * add fields, but every field the command needs must be present, of the right type and valid.
 */
public final class DistributedCommands {

  public static final String PREPARE_TICKET = "ticket.prepareTicket";
  public static final String CANCEL_TICKET = "ticket.cancel";

  /**
   * How a command travels, whatever carries it: its name ({@link #nameOf}) is the message's type,
   * its body {@link #toJson} of this content type, and its message id names the logical command
   * (the same on every re-publish, so that a receiver can recognise a duplicate); the trace
   * context, if any, rides in the header {@link TraceContext#HEADER}.
   */
  public static final String CONTENT_TYPE = "application/json";

  private static final Map<String, Class<? extends DistributedCommand>> TYPES =
      Map.of(PREPARE_TICKET, PrepareTicket.class, CANCEL_TICKET, CancelTicket.class);

  private static final Map<Class<? extends DistributedCommand>, String> NAMES =
      TYPES.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));

  private static final ObjectMapper JSON = strictMapper();

  private DistributedCommands() {}

  public static String nameOf(DistributedCommand command) {
    return NAMES.get(command.getClass());
  }

  public static Optional<Class<? extends DistributedCommand>> typeOf(String name) {
    return Optional.ofNullable(name).map(TYPES::get);
  }

  public static byte[] toJson(DistributedCommand command) {
    try {
      return JSON.writeValueAsBytes(command);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a distributed command must always serialize", e);
    }
  }

  public static DistributedCommand fromJson(String name, byte[] body)
      throws InvalidCommandException {
    Class<? extends DistributedCommand> type =
        typeOf(name)
            .orElseThrow(
                () ->
                    new InvalidCommandException(
                        "unknown command type '" + name + "', expected one of " + TYPES.keySet()));
    if (body == null || body.length == 0) {
      throw new InvalidCommandException(name + ": empty body");
    }
    if (!TextRules.isWellFormedUtf8(body)) {
      throw new InvalidCommandException(name + ": malformed JSON: the body is not valid UTF-8");
    }
    try {
      DistributedCommand command = JSON.readValue(body, type);
      if (command == null) {
        throw new InvalidCommandException(name + ": body is JSON null");
      }
      return command;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidCommandException(name + ": " + cause.getMessage());
    } catch (MismatchedInputException e) {
      throw new InvalidCommandException(name + ": " + JsonFieldErrors.describe(e));
    } catch (JsonProcessingException e) {
      throw new InvalidCommandException(
          name + ": malformed JSON: " + JsonFieldErrors.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidCommandException(name + ": unreadable body: " + e.getMessage());
    }
  }

  private static ObjectMapper strictMapper() {
    // a tolerant reader of what it needs: unknown fields are a newer sender's, not an error
    return StrictJson.build(
        StrictJson.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
  }
}
