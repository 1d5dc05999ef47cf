package org.example.helpdesk.platform.logging;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.example.helpdesk.platform.support.Secrets;

/**
 * The nodes' log lines, in one of two formats ({@code <format>} in logback.xml, from {@code
 * LOG_FORMAT}):
 *
 * <ul>
 *   <li>{@code text} (the default), for people: {@code 2025-01-31 12:00:00.123 WARN [thread]
 *       o.e.h.b.inbox.CommandConsumer {ticketId=..., traceId=...} - message}, then the stack trace
 *       of an exception, if any. Pekko's own bookkeeping MDC entries (address, actor system,
 *       timestamp, source thread) are left out; the source thread replaces the logging thread.
 *   <li>{@code json}, for machines: one JSON object per line with {@code timestamp} (ISO-8601,
 *       UTC), {@code level}, {@code logger}, {@code thread}, {@code message}, every MDC entry as a
 *       field of its own (a key that clashes with one of these gets the prefix {@code mdc.}) and
 *       {@code exception} (the stack trace), if any.
 * </ul>
 *
 * Message, MDC values and stack trace go through {@link Secrets#redact} in both formats: no
 * password reaches the log, whoever wrote the line.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {

  private static final Set<String> FIELDS =
      Set.of("timestamp", "level", "logger", "thread", "message", "exception");

  /** Pekko's MDC entries that only repeat what every line of a node has in common. */
  private static final Set<String> QUIET_IN_TEXT =
      Set.of("pekkoAddress", "sourceActorSystem", "pekkoTimestamp", "sourceThread");

  private static final DateTimeFormatter TEXT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final JsonFactory JSON = new JsonFactory();

  private String format = "text";
  private boolean json;
  private int loggerLength = 36;
  private TargetLengthBasedClassNameAbbreviator abbreviator;

  /**
   * {@code text} or {@code json} (case-insensitive); anything else is taken for text, with a
   * warning.
   */
  public void setFormat(String format) {
    this.format = format == null ? "text" : format.trim();
  }

  public String getFormat() {
    return format;
  }

  /** The length the text format shortens logger names to (package names first). */
  public void setLoggerLength(int loggerLength) {
    this.loggerLength = loggerLength;
  }

  @Override
  public void start() {
    json = format.equalsIgnoreCase("json");
    if (!json && !format.equalsIgnoreCase("text") && !format.isEmpty()) {
      addWarn("Unknown log format '" + format + "' (LOG_FORMAT): text or json; logging text");
    }
    abbreviator = new TargetLengthBasedClassNameAbbreviator(loggerLength);
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return json ? json(event) : text(event);
  }

  private byte[] text(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    StringBuilder line = new StringBuilder(256);
    TEXT_TIME.formatTo(event.getInstant(), line);
    line.append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    String thread = mdc == null ? null : mdc.get("sourceThread");
    line.append(" [");
    escaped(line, thread != null ? thread : event.getThreadName()).append("] ");
    escaped(line, abbreviator.abbreviate(event.getLoggerName()));
    if (mdc != null && !mdc.isEmpty()) {
      boolean first = true;
      for (Map.Entry<String, String> e : new TreeMap<>(mdc).entrySet()) {
        if (QUIET_IN_TEXT.contains(e.getKey())) {
          continue;
        }
        line.append(first ? " {" : ", ");
        escaped(line, e.getKey()).append('=');
        escaped(line, e.getValue());
        first = false;
      }
      if (!first) {
        line.append('}');
      }
    }
    line.append(" - ");
    escaped(line, event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy throwable = event.getThrowableProxy();
    if (throwable != null) {
      line.append(indented(ThrowableProxyUtil.asString(throwable)));
    }
    return Secrets.redact(line.toString()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends the text with CR, LF, tab and the other control characters (and Unicode's line and
   * paragraph separators) escaped: whatever a field holds (an AMQP message id, a header, a name
   * someone typed), it cannot end the line and start a forged one.
   */
  static StringBuilder escaped(StringBuilder line, String text) {
    if (text == null) {
      return line.append("null");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> line.append("\\r");
        case '\n' -> line.append("\\n");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    return line;
  }

  /**
   * A stack trace keeps its lines, but each one that does not start as a stack trace's lines do (an
   * exception's message with a line break in it) is indented: no line of it looks like a log line
   * of its own.
   */
  static String indented(String stackTrace) {
    StringBuilder out = new StringBuilder(stackTrace.length() + 16);
    String[] lines = stackTrace.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (i == lines.length - 1 && l.isEmpty()) {
        break;
      }
      boolean ordinary =
          i == 0 || l.startsWith("\t") || l.startsWith(" ") || l.startsWith("Caused by: ");
      out.append(ordinary ? "" : "\t... ").append(l).append(CoreConstants.LINE_SEPARATOR);
    }
    return out.toString();
  }

  private byte[] json(ILoggingEvent event) {
    IThrowableProxy throwable = event.getThrowableProxy();
    return jsonLine(
        event.getInstant(),
        event.getLevel().toString(),
        event.getLoggerName(),
        event.getThreadName(),
        event.getFormattedMessage(),
        event.getMDCPropertyMap(),
        throwable == null ? null : ThrowableProxyUtil.asString(throwable));
  }

  /**
   * One line of the JSON format, passwords masked (also for lines that bypassed Logback, see {@link
   * StdStreams}).
   */
  static byte[] jsonLine(
      java.time.Instant time,
      String level,
      String logger,
      String thread,
      String message,
      Map<String, String> mdc,
      String exception) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(384);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", time.toString());
      g.writeStringField("level", level);
      g.writeStringField("logger", logger);
      g.writeStringField("thread", thread);
      g.writeStringField("message", Secrets.redact(message));
      if (mdc != null) {
        for (Map.Entry<String, String> e : new TreeMap<>(mdc).entrySet()) {
          String key = FIELDS.contains(e.getKey()) ? "mdc." + e.getKey() : e.getKey();
          g.writeStringField(key, Secrets.redact(e.getValue()));
        }
      }
      if (exception != null) {
        g.writeStringField("exception", Secrets.redact(exception));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
