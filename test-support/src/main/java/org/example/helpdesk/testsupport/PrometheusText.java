package org.example.helpdesk.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values out of a node's {@code /metrics} (Prometheus text format). */
public final class PrometheusText {

  private PrometheusText() {}

  /** The sum of every series of a metric, whatever its labels; 0 when there is none. */
  public static double sum(String metrics, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$")
            .matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  /** The value of one series, written with its labels as the node writes them; 0 when absent. */
  public static double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }
}
