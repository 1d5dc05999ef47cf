package org.example.helpdesk.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Short load runs of the benchmark, one node each on the test PostgreSQL and broker (the node jars
 * as processes): not measurements, only that the run completes and its figures are there and sane,
 * the return flow's round trip above all. Results and node logs stay in target/bench-smoke-*.
 */
class BenchmarkSmokeIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode run(String name, String... more) throws Exception {
    Path out = Path.of("target", "bench-smoke-" + name);
    // a node's log is appended to: an earlier run's would be read as this one's
    if (Files.exists(out)) {
      try (Stream<Path> old = Files.walk(out)) {
        old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    List<String> args =
        Stream.concat(
                Stream.of(
                    "--baseline",
                    "1",
                    "--warmup",
                    "8",
                    "--idle",
                    "0",
                    "--duration",
                    "8",
                    "--rate",
                    "20",
                    "--out",
                    out.toString()),
                Stream.of(more))
            .toList();
    assertEquals(0, RateRun.run(Settings.parse(args.toArray(String[]::new)), null), "exit status");
    assertTrue(Files.exists(out.resolve("chart.png")));
    return JSON.readTree(out.resolve("results.json").toFile());
  }

  @Test
  void everyReportComesBackAndTheRoundTripIsInTheFiguresAndTheTimeline() throws Exception {
    JsonNode r = run("on");

    JsonNode fixed = r.path("fixedRate");
    long accepted = fixed.path("accepted").asLong();
    assertTrue(accepted >= 100, "most of the 160 reports accepted: " + fixed);
    JsonNode back = fixed.path("roundTrip");
    assertEquals(accepted, back.path("returned").asLong(), "every accepted issue came back");
    assertEquals(accepted, back.path("ofAccepted").asLong());
    assertEquals(0, back.path("notBackAtEnd").asLong());
    JsonNode ms = back.path("ms");
    assertEquals(accepted, ms.path("count").asLong(), "one round trip per issue");
    double p50 = ms.path("p50").asDouble();
    double p99 = ms.path("p99").asDouble();
    double max = ms.path("max").asDouble();
    assertTrue(0 < p50 && p50 <= p99 && p99 <= max && max < 30_000, "sane: " + ms);
    assertTrue(
        back.path("timedByLaterClose").asLong() <= accepted / 10,
        "a close written after the receipt is rare: " + back);

    // the timeline: the round trip per second, and everything accepted came back
    long returned = 0;
    long acceptedInTimeline = 0;
    for (JsonNode point : r.path("timeline")) {
      assertTrue(point.path("returned").isNumber(), point::toString);
      assertTrue(point.path("roundTripP99Ms").isNumber(), point::toString);
      returned += point.path("returned").asLong();
      acceptedInTimeline += point.path("accepted").asLong();
    }
    assertEquals(acceptedInTimeline, returned, "warm-up and fixed run, all back");
    JsonNode last = r.path("timeline").get(r.path("timeline").size() - 1);
    assertEquals(0, last.path("returnBacklog").asLong());

    String summary = Files.readString(Path.of("target", "bench-smoke-on", "summary.txt"));
    assertTrue(summary.contains("round trip (201 -> customer's issue received) ms: p50"), summary);
    assertEquals("on", r.path("run").path("returnFlow").asText());
  }

  @Test
  void withTheReturnFlowOffTheRelayDoesNotRunAndNoRoundTripIsClaimed() throws Exception {
    JsonNode r = run("off", "--return-flow", "off");

    assertTrue(r.path("fixedRate").path("roundTrip").isNull(), r.path("fixedRate")::toString);
    assertTrue(r.path("fixedRate").path("accepted").asLong() >= 100);
    for (JsonNode point : r.path("timeline")) {
      assertTrue(point.path("returned").isNull(), point::toString);
    }
    String summary = Files.readString(Path.of("target", "bench-smoke-off", "summary.txt"));
    assertTrue(
        summary.contains("round trip: not measured (return flow off: TICKET_EVENTS_ENABLED=false)"),
        summary);
    assertEquals("off", r.path("run").path("returnFlow").asText());
    assertTrue(
        backofficeLog("off").orElse("").contains("The ticket events relay is off"),
        "the backoffice node's log says its relay is off");
  }

  private static java.util.Optional<String> backofficeLog(String name) throws IOException {
    try (Stream<Path> logs = Files.list(Path.of("target", "bench-smoke-" + name, "logs"))) {
      Path log =
          logs.filter(p -> p.getFileName().toString().startsWith("backoffice-node-"))
              .findFirst()
              .orElse(null);
      return log == null
          ? java.util.Optional.empty()
          : java.util.Optional.of(Files.readString(log));
    }
  }
}
