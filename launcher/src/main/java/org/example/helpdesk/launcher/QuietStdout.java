package org.example.helpdesk.launcher;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output without one debugging line: pekko-projection-jdbc 1.0.0 prints "# stop
 * JdbcRunningProjection@..." (Scala println) whenever a projection stops. The all-in-one console is
 * for people, so that line goes; everything else passes through unchanged.
 */
final class QuietStdout extends OutputStream {

  private static final String NOISE = "# stop org.apache.pekko.projection";

  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private QuietStdout(PrintStream target) {
    this.target = target;
  }

  /** Must run before anything Scala touches the console, which captures System.out once. */
  static void install() {
    System.setOut(new PrintStream(new QuietStdout(System.out), true, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      flushLine();
    }
  }

  @Override
  public synchronized void flush() {
    target.flush();
  }

  private void flushLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (!text.startsWith(NOISE)) {
      target.print(text);
    }
  }
}
