package org.example.helpdesk.backoffice.inbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one try of a command waits for its ticket. A fixed timeout takes a slow, healthy ticket
 * for a broken one as soon as the node is loaded past it: the command is dead-lettered although it
 * would have been applied (and usually is: the timed-out try still runs). So the wait follows the
 * load: the first try waits at least {@value #HEADROOM} times as long as commands of this partition
 * took lately, each further try twice as long as the one before, up to a ceiling. The answers of a
 * truly stuck ticket never come, whatever the wait: it is still dead-lettered, later.
 */
final class AskTimeouts {

  /** How many times the recent answer time a first try waits. */
  static final int HEADROOM = 4;

  /** Weight of the newest answer time in the moving average (of 1): about the last 20 answers. */
  private static final double WEIGHT = 0.05;

  private final Duration base;
  private final Duration ceiling;

  /** Moving average of answer times, nanoseconds (as a double's bits). */
  private final AtomicLong averageBits = new AtomicLong(Double.doubleToLongBits(0));

  AskTimeouts(Duration base, Duration ceiling) {
    this.base = base;
    this.ceiling = ceiling.compareTo(base) < 0 ? base : ceiling;
  }

  /** The wait of try {@code n} (1 for the first). */
  Duration forTry(int n) {
    long recent = (long) (Double.longBitsToDouble(averageBits.get()) * HEADROOM);
    long first = Math.max(base.toNanos(), recent);
    double wait = first * Math.pow(2, Math.max(0, n - 1));
    return wait >= ceiling.toNanos() ? ceiling : Duration.ofNanos((long) wait);
  }

  /** A try was answered after this long. */
  void answeredIn(long nanos) {
    averageBits.getAndUpdate(
        bits -> {
          double average = Double.longBitsToDouble(bits);
          double next = average == 0 ? nanos : average + WEIGHT * (nanos - average);
          return Double.doubleToLongBits(next);
        });
  }
}
