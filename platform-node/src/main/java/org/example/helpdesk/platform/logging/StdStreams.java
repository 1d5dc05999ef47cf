package org.example.helpdesk.platform.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.example.helpdesk.platform.support.Secrets;

/**
 * Guards what a node writes to stdout and stderr without Logback (a library's {@code println}, a
 * JVM warning): every line goes through {@link Secrets#redact}, and with {@code LOG_FORMAT=json} a
 * line that is not already a JSON object (one of {@link LogEncoder}'s) becomes one, with the logger
 * {@code stdout} or {@code stderr}, so that the output stays JSON lines throughout. A library's
 * debugging line ({@link #NOISE}) is dropped.
 */
public final class StdStreams {

  /**
   * A debugging line pekko-projection-jdbc 1.0.0 prints (Scala {@code println}, in {@code
   * JdbcProjectionImpl.JdbcRunningProjection.stop}) whenever a projection stops: no log line, and
   * nothing an operator can use.
   */
  static final String NOISE = "# stop org.apache.pekko.projection";

  private static volatile boolean installed;

  private StdStreams() {}

  /**
   * Installs the guards (once); call it first thing in {@code main}, before Scala's Console takes
   * System.out.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    String format = System.getProperty("LOG_FORMAT", System.getenv("LOG_FORMAT"));
    boolean json = format != null && format.trim().toLowerCase(Locale.ROOT).equals("json");
    System.setOut(
        new PrintStream(
            new LineGuard(System.out, json, "stdout", "INFO"), true, StandardCharsets.UTF_8));
    System.setErr(
        new PrintStream(
            new LineGuard(System.err, json, "stderr", "WARN"), true, StandardCharsets.UTF_8));
  }

  /**
   * Collects bytes into lines and writes each on, guarded. Callers (PrintStreams) serialize the
   * writes.
   */
  static final class LineGuard extends OutputStream {

    private final OutputStream target;
    private final boolean json;
    private final String logger;
    private final String level;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

    LineGuard(OutputStream target, boolean json, String logger, String level) {
      this.target = target;
      this.json = json;
      this.logger = logger;
      this.level = level;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      line.write(b);
      if (b == '\n') {
        writeLine();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      int start = offset;
      for (int i = offset; i < offset + length; i++) {
        if (bytes[i] == '\n') {
          line.write(bytes, start, i + 1 - start);
          writeLine();
          start = i + 1;
        }
      }
      line.write(bytes, start, offset + length - start);
    }

    /** A line not ended yet stays until it is (so that it is guarded whole). */
    @Override
    public synchronized void flush() throws IOException {
      target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      if (line.size() > 0) {
        line.write('\n');
        writeLine();
      }
      target.flush();
    }

    private void writeLine() throws IOException {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.startsWith(NOISE)) {
        return;
      }
      byte[] out;
      if (!json || text.startsWith("{")) {
        // (a JSON line is LogEncoder's, redacted already; masking keeps a JSON string valid)
        out = Secrets.redact(text).getBytes(StandardCharsets.UTF_8);
      } else {
        out =
            LogEncoder.jsonLine(
                Instant.now(),
                level,
                logger,
                Thread.currentThread().getName(),
                text.stripTrailing(),
                null,
                null);
      }
      target.write(out);
      target.flush();
    }
  }
}
