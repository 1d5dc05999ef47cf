package org.example.helpdesk.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The results: results.json (every figure and the settings), summary.txt and chart.png. */
final class Report {

  private Report() {}

  static void write(Path out, Map<String, Object> result, List<Sampler.Point> points) throws IOException {
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), result);
    Files.writeString(out.resolve("summary.txt"), summary(result));
    chart(points, out.resolve("chart.png"));
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> r) {
    Map<String, Object> b = (Map<String, Object>) r.get("baselines");
    Map<String, Object> f = (Map<String, Object>) r.get("fixedRate");
    Map<String, Object> m = (Map<String, Object>) r.get("memory");
    Map<String, Object> t = (Map<String, Object>) r.get("targets");
    Map<String, Object> http = (Map<String, Object>) f.get("httpMs");
    Map<String, Object> e2e = (Map<String, Object>) f.get("endToEndMs");
    StringBuilder s = new StringBuilder();
    s.append("Helpdesk benchmark\n");
    s.append(String.format("  machine limits: %s single-row commits/s (%s connections), %s confirmed publishes/s (window %s)%n",
        b.get("singleRowCommitsPerSecond"), b.get("commitConcurrency"), b.get("confirmedPublishesPerSecond"), b.get("confirmWindow")));
    if (r.containsKey("search")) {
      Map<String, Object> search = (Map<String, Object>) r.get("search");
      s.append(String.format("  highest sustained: %s reports/s = %s of the commit rate, %s of the publish rate%n",
          search.get("highestSustainedPerSecond"), search.get("ratioToCommitRate"), search.get("ratioToPublishRate")));
    }
    s.append(String.format("  fixed rate %s/s: accepted %s/s (%s of the commit rate), errors %s%n",
        f.get("targetPerSecond"), f.get("acceptedPerSecond"), f.get("ratioToCommitRate"), f.get("errors")));
    s.append(String.format("    HTTP report latency ms: p50 %s, p99 %s, p99.9 %s, max %s%n",
        http.get("p50"), http.get("p99"), http.get("p99_9"), http.get("max")));
    s.append(String.format("    end-to-end (201 -> ticket row) ms: p50 %s, p99 %s, max %s%n", e2e.get("p50"), e2e.get("p99"), e2e.get("max")));
    s.append(String.format("    largest backlog: %s tickets%n", f.get("maxBacklog")));
    s.append(String.format("  memory: customer peak RSS %s MiB, backoffice peak RSS %s MiB; RSS before/after the fixed run %s / %s%n",
        m.get("customerPeakRssMb"), m.get("backofficePeakRssMb"), m.get("customerRssMbBeforeAfterFixedRun"), m.get("backofficeRssMbBeforeAfterFixedRun")));
    s.append("  targets:\n");
    t.forEach((name, v) -> {
      Map<String, Object> target = (Map<String, Object>) v;
      s.append(String.format("    %-40s %-10s %s%n", name, target.get("measured"), Boolean.TRUE.equals(target.get("met")) ? "met" : "NOT met"));
    });
    return s.toString();
  }

  private static void chart(List<Sampler.Point> points, Path file) throws IOException {
    if (points.isEmpty()) {
      return;
    }
    double[] t = points.stream().mapToDouble(Sampler.Point::t).toArray();
    XYChart chart =
        new XYChartBuilder().width(1200).height(600).title("Helpdesk: throughput and end-to-end latency")
            .xAxisTitle("seconds").yAxisTitle("per second").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.setYAxisGroupTitle(1, "end-to-end p99 (ms)");
    series(chart, "reports accepted/s", t, points.stream().mapToDouble(Sampler.Point::accepted).toArray(), 0);
    series(chart, "tickets visible/s", t, points.stream().mapToDouble(Sampler.Point::visible).toArray(), 0);
    series(chart, "backlog (accepted, not yet visible)", t, points.stream().mapToDouble(Sampler.Point::backlog).toArray(), 0);
    series(chart, "end-to-end p99 ms", t, points.stream().mapToDouble(Sampler.Point::endToEndP99Ms).toArray(), 1);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void series(XYChart chart, String name, double[] x, double[] y, int axis) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    s.setYAxisGroup(axis);
  }
}
