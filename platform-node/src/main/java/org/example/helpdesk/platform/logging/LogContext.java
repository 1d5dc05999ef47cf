package org.example.helpdesk.platform.logging;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * What a log line is about, in the SLF4J MDC (printed by {@link LogEncoder} with every line): the
 * issue or ticket a request or message concerns. A scope puts its entries and, when closed, puts
 * back what was there before:
 *
 * <pre>{@code
 * try (LogContext ignored = LogContext.put(LogContext.TICKET_ID, ticketId)) {
 *   log.warn("...");
 * }
 * }</pre>
 *
 * The MDC belongs to a thread: work continued on another thread (a callback of a future) takes the
 * context along with {@link #capture()}.
 */
public final class LogContext implements AutoCloseable {

  public static final String ISSUE_ID = "issueId";
  public static final String TICKET_ID = "ticketId";
  public static final String MESSAGE_ID = "messageId";
  public static final String DEAD_LETTER_ID = "deadLetterId";

  private static final LogContext NOTHING = new LogContext(new String[0], new String[0]);

  private final String[] keys;
  private final String[] previous;

  private LogContext(String[] keys, String[] previous) {
    this.keys = keys;
    this.previous = previous;
  }

  /** Puts {@code key=value} (nothing if the value is null) until the scope is closed. */
  public static LogContext put(String key, Object value) {
    if (value == null) {
      return NOTHING;
    }
    String[] previous = {MDC.get(key)};
    MDC.put(key, String.valueOf(value));
    return new LogContext(new String[] {key}, previous);
  }

  /** Puts both entries (those whose value is not null) until the scope is closed. */
  public static LogContext put(String key1, Object value1, String key2, Object value2) {
    String[] keys = {value1 == null ? null : key1, value2 == null ? null : key2};
    String[] previous = new String[2];
    Object[] values = {value1, value2};
    for (int i = 0; i < 2; i++) {
      if (keys[i] != null) {
        previous[i] = MDC.get(keys[i]);
        MDC.put(keys[i], String.valueOf(values[i]));
      }
    }
    return new LogContext(keys, previous);
  }

  /** {@code work} with {@code key=value} in the MDC. */
  public static <T> T with(String key, Object value, Supplier<T> work) {
    try (LogContext ignored = put(key, value)) {
      return work.get();
    }
  }

  /** The MDC of this thread now, to be restored around work on another thread. */
  public static Captured capture() {
    return new Captured(MDC.getCopyOfContextMap());
  }

  @Override
  public void close() {
    for (int i = keys.length - 1; i >= 0; i--) {
      if (keys[i] == null) {
        continue;
      }
      if (previous[i] == null) {
        MDC.remove(keys[i]);
      } else {
        MDC.put(keys[i], previous[i]);
      }
    }
  }

  /** A copy of a thread's MDC. */
  public static final class Captured {

    private final Map<String, String> context;

    private Captured(Map<String, String> context) {
      this.context = context == null ? Map.of() : new HashMap<>(context);
    }

    /** Runs {@code work} with the captured MDC, and then puts back the thread's own. */
    public <T> T call(Supplier<T> work) {
      if (context.isEmpty()) {
        return work.get();
      }
      Map<String, String> own = MDC.getCopyOfContextMap();
      MDC.setContextMap(context);
      try {
        return work.get();
      } finally {
        if (own == null) {
          MDC.clear();
        } else {
          MDC.setContextMap(own);
        }
      }
    }
  }
}
