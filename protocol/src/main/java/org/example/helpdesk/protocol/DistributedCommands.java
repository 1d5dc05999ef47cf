package org.example.helpdesk.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;

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

  private static final NamedJsonCodec<DistributedCommand> CODEC =
      new NamedJsonCodec<>("command", TYPES, strictMapper());

  private DistributedCommands() {}

  public static String nameOf(DistributedCommand command) {
    return CODEC.nameOf(command);
  }

  public static Optional<Class<? extends DistributedCommand>> typeOf(String name) {
    return CODEC.typeOf(name);
  }

  public static byte[] toJson(DistributedCommand command) {
    return CODEC.toJson(command);
  }

  public static DistributedCommand fromJson(String name, byte[] body)
      throws InvalidCommandException {
    try {
      return CODEC.fromJson(name, body);
    } catch (NamedJsonCodec.InvalidBody e) {
      throw new InvalidCommandException(e.getMessage());
    }
  }

  private static ObjectMapper strictMapper() {
    // a tolerant reader of what it needs: unknown fields are a newer sender's, not an error
    return StrictJson.build(
        StrictJson.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
  }
}
