package org.example.helpdesk.platform.logging;

import ch.qos.logback.classic.LoggerContext;
import org.example.helpdesk.platform.support.StartupFailure;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@code main}: what goes wrong is logged (through {@link LogEncoder}, redacted), not
 * dumped on stderr.
 */
public final class Logging {

  private static final Logger log = LoggerFactory.getLogger("org.example.helpdesk.Main");

  private Logging() {}

  /**
   * Runs the node's start; if it fails, logs why (without secrets: a driver's message may quote the
   * database URL) and exits with status 1, or 2 when a setting is invalid ({@link StartupFailure}:
   * its message alone, no stack trace). Exceptions no thread catches are logged the same way; what
   * bypasses the logger on stdout and stderr is guarded ({@link StdStreams}).
   */
  public static void startOrExit(Runnable start) {
    StdStreams.install();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> log.error("Uncaught exception in thread {}", thread.getName(), e));
    try {
      start.run();
    } catch (StartupFailure e) {
      // a reason in words: the stack trace would only bury it (it is there at DEBUG)
      log.error("The node could not start: {}", e.getMessage());
      log.debug("The node could not start", e);
      flush();
      System.exit(e.exitStatus());
    } catch (Throwable e) {
      log.error("The node could not start: {}", e.toString(), e);
      flush();
      System.exit(StartupFailure.COULD_NOT_START);
    }
  }

  /** Writes out what the asynchronous appender still holds. */
  public static void flush() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.stop();
    }
  }
}
