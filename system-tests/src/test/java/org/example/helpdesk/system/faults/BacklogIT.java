package org.example.helpdesk.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.OutboxQueries;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * Bounded under backlog: 50,000 pending issues of 10,000 characters each, written while the broker
 * was down, drain once it is back, with both nodes at {@code -Xmx256m} (see {@link Deployment}): no
 * OutOfMemoryError, both nodes alive, every ticket there with its full description, and the memory
 * the nodes used, sampled every second, printed in lines starting with "[backlog]".
 */
class BacklogIT {

  private static final int ISSUES = 50_000;
  private static final int CONTENT_LENGTH = IssueContent.MAX_LENGTH; // 10,000 characters
  private static final int INSERT_BATCH = 1_000;
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);
  private static final long HEAP_LIMIT = 256L * 1024 * 1024;
  private static final String BACKLOG_PREFIX = "backlog ";
  // (the JSON of Issue$ReportedIssue#2, whose outbox holds facts, under a class of its own)
  private static final String REPORTED_ISSUE_MANIFEST =
      "org.example.helpdesk.customer.issue.StoredIssue";
  private static final int JACKSON_JSON_SERIALIZER_ID = 31;

  private static final String[] WORDS = {
    "printer",
    "invoice",
    "login",
    "password",
    "broken",
    "screen",
    "again",
    "since",
    "monday",
    "please",
    "help",
    "order",
    "delivery",
    "refund",
    "account",
    "error",
    "message",
    "cannot",
    "open",
    "the",
    "a",
    "my",
    "when",
    "after",
    "update",
    "slow",
    "page",
    "button",
    "email",
    "phone",
    "still",
    "waiting",
    "ticket",
    "number",
    "urgent",
    "thanks",
    "regards",
    "customer",
    "service",
    "app",
    "crashes",
    "data",
  };

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void fiftyThousandPendingIssuesOfTenKilobytesDrainOnBoundedMemory() throws Exception {
    boolean brokerStopped = false;
    MemorySampler sampler = null;
    try (Deployment d = Deployment.start(1, 1)) {
      NodeProcess customer = d.customers.get(0);
      NodeProcess backoffice = d.backoffices.get(0);

      // One issue reported the ordinary way, over HTTP, while the broker is up: its stored row is
      // the template of the backlog (serializer, manifest, JSON exactly as Jackson writes it), and
      // its ticket shows the pipeline works before the broker goes.
      UUID probeId = UUID.randomUUID();
      String probeContent = content(-1, "probe ");
      int status = report(customer, probeId, probeContent);
      assertEquals(2, status / 100, "the probe report was accepted (status " + status + ")");
      // read at once: the row is written before the 201, and it changes again (revision 2) once
      // the ticket's first event has come back to the Customer Service, hops later
      Map<String, Object> probeRow =
          d.customerSql
              .rows(
                  "SELECT revision, state_serial_id, state_serial_manifest, tag, convert_from(state_payload, 'UTF8') AS payload"
                      + " FROM durable_state WHERE persistence_id = ?",
                  "Issue|" + probeId)
              .get(0);
      awaitTrue(
          Duration.ofSeconds(60),
          "the probe's ticket",
          () ->
              d.backofficeSql.count("SELECT count(*) FROM tickets WHERE ticket_id = ?", probeId)
                  == 1);
      int serializerId = ((Number) probeRow.get("state_serial_id")).intValue();
      String manifest = (String) probeRow.get("state_serial_manifest");
      String template = (String) probeRow.get("payload");
      assertEquals(JACKSON_JSON_SERIALIZER_ID, serializerId, "serializer of the stored issue");
      assertEquals(REPORTED_ISSUE_MANIFEST, manifest, "manifest of the stored issue");
      assertEquals(1L, ((Number) probeRow.get("revision")).longValue());
      assertEquals(IssueEntity.tagFor(probeId), probeRow.get("tag"), "tag of the stored issue");
      // the id is the issue's alone (its facts name none); the content is the issue's and the
      // report's (the fact that becomes the ticket's description)
      assertEquals(
          1,
          occurrences(template, probeId.toString()),
          "the probe's id in " + abbreviated(template));
      assertEquals(
          2,
          occurrences(template, probeContent),
          "the probe's content in " + abbreviated(template));
      assertTrue(
          template.contains("\"status\":\"OPEN\"")
              && template.contains("\"fact\":\"reported\"")
              && template.contains("\"lastEntryNumber\":1"),
          abbreviated(template));
      System.out.println(
          "[backlog:setup] stored issue: serializer "
              + serializerId
              + ", manifest "
              + manifest
              + ", JSON "
              + abbreviated(template));

      String jvmSeries =
          customer
              .get("/metrics")
              .lines()
              .filter(
                  l ->
                      l.startsWith("jvm_memory_used_bytes")
                          || l.startsWith("jvm_memory_pool_collection_used_bytes")
                          || l.startsWith("jvm_gc_collection_seconds_count"))
              .collect(java.util.stream.Collectors.joining("; "));
      System.out.println("[backlog:setup] memory series: " + jvmSeries);
      sampler = MemorySampler.start(customer, backoffice);

      // Both nodes needed the broker to become ready; now it goes, as an outage would.
      TestBroker.stop();
      brokerStopped = true;

      // The backlog is written straight into the customer schema, each row byte for byte what
      // the durable state store writes for a reported issue (the probe's row with another id and
      // content): 50,000 reports of 10 KB over HTTP would take many minutes and load the very
      // node whose drain is measured; and an issue accepted during an outage is, once it was
      // passivated, exactly such a row with no outbox_published record.
      long insertStart = System.nanoTime();
      List<UUID> ids =
          insertBacklog(
              d.customerSchema, template, probeId.toString(), probeContent, serializerId, manifest);
      long insertMillis = nanosToMillis(System.nanoTime() - insertStart);
      assertEquals(
          (long) ISSUES,
          d.customerSql.count(
              "SELECT count(*) FROM durable_state d WHERE d.persistence_id <> ? AND NOT EXISTS"
                  + " (SELECT 1 FROM outbox_published p WHERE p.persistence_id = d.persistence_id)",
              "Issue|" + probeId),
          "pending issues while the broker is down");
      System.out.println(
          "[backlog:setup] "
              + ISSUES
              + " pending issues of "
              + CONTENT_LENGTH
              + " characters written in "
              + insertMillis
              + " ms");
      // a few seconds with the relay failing against the missing broker, as in a real outage
      Thread.sleep(5_000);
      assertTrue(
          customer.isAlive() && backoffice.isAlive(), "both nodes survive the broker outage");
      assertEquals(
          1L,
          d.backofficeSql.count("SELECT count(*) FROM tickets"),
          "nothing published while the broker is down");

      sampler.markDrainStart();
      TestBroker.start();
      brokerStopped = false;
      long drainStart = System.nanoTime();
      long publishedMillis = awaitDrained(d, customer, backoffice, sampler, drainStart);
      long drainMillis = nanosToMillis(System.nanoTime() - drainStart);
      sampler.markDrainEnd();
      // the outbox, as the requirement asks it (a scan of every issue's JSON, so not often): the
      // tickets' first events are still coming back meanwhile, each a new entry on its issue that
      // the relay passes over, so the last of them may be pending for a moment
      long pending = d.customerSql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES);
      for (long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
          pending > 0 && System.nanoTime() < until; ) {
        Thread.sleep(2_000);
        pending = d.customerSql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES);
      }
      assertEquals(0L, pending, "issues with entries the relay has pending");
      Thread.sleep(3_000); // a few more samples after the drain
      sampler.close();

      // ---- alive, no OutOfMemoryError ------------------------------------------------------
      for (NodeProcess node : List.of(customer, backoffice)) {
        assertTrue(node.isAlive(), node.name + " is alive");
        assertEquals(200, node.status("/health"), node.name + " is healthy");
        String log = Files.readString(logOf(node));
        assertFalse(
            log.contains("OutOfMemoryError"),
            node.name + " logged an OutOfMemoryError: " + excerpt(log, "OutOfMemoryError"));
      }

      // ---- every ticket, complete ----------------------------------------------------------
      Map<String, Object> totals =
          d.backofficeSql
              .rows(
                  "SELECT count(*) AS tickets, count(*) FILTER (WHERE status = 'awaiting') AS awaiting,"
                      + " coalesce(sum(length(description)), 0) AS chars FROM tickets WHERE description LIKE 'backlog %'")
              .get(0);
      assertEquals(
          (long) ISSUES, ((Number) totals.get("tickets")).longValue(), "tickets of the backlog");
      assertEquals(
          (long) ISSUES,
          ((Number) totals.get("awaiting")).longValue(),
          "awaiting tickets of the backlog");
      assertEquals(
          (long) ISSUES * CONTENT_LENGTH,
          ((Number) totals.get("chars")).longValue(),
          "characters of the backlog's descriptions");
      Set<UUID> ticketIds = new HashSet<>();
      d.backofficeSql
          .rows("SELECT ticket_id FROM tickets")
          .forEach(r -> ticketIds.add((UUID) r.get("ticket_id")));
      Set<UUID> expected = new HashSet<>(ids);
      expected.add(probeId);
      assertEquals(expected, ticketIds, "one ticket per issue, no other");
      int sampled = 0;
      for (int i = 0; i < ISSUES; i += ISSUES / 200) {
        Map<String, Object> ticket =
            d.backofficeSql
                .rows(
                    "SELECT status, ticket_type, description FROM tickets WHERE ticket_id = ?",
                    ids.get(i))
                .get(0);
        assertEquals("awaiting", ticket.get("status"));
        assertEquals(TicketType.CUSTOMER_ISSUE.value(), ticket.get("ticket_type"));
        assertEquals(
            content(i, BACKLOG_PREFIX + i + " "),
            ticket.get("description"),
            "description of ticket " + i);
        sampled++;
      }

      // ---- the journal: one event per ticket, no dead letters ---------------------------------
      assertEquals(
          (long) ISSUES + 1,
          d.backofficeSql.count("SELECT count(*) FROM event_journal"),
          "events in the journal");
      assertEquals(
          0L,
          d.backofficeSql.count(
              "SELECT count(*) FROM (SELECT persistence_id FROM event_journal GROUP BY persistence_id HAVING count(*) > 1) AS twice"),
          "a Ticket journal holds more than one event");
      assertEquals(0L, d.backofficeSql.count("SELECT count(*) FROM dead_letters"), "dead letters");

      // ---- memory --------------------------------------------------------------------------
      MemorySampler.Peaks c = sampler.peaks(customer);
      MemorySampler.Peaks b = sampler.peaks(backoffice);
      System.out.printf(
          "[backlog] %d issues x %d chars (%.0f MB of content) drained in %.1f s: %.0f messages/s; backlog written in %.1f s; %d of %d descriptions compared in full%n",
          ISSUES,
          CONTENT_LENGTH,
          ISSUES * (double) CONTENT_LENGTH / 1e6,
          drainMillis / 1000.0,
          ISSUES * 1000.0 / drainMillis,
          insertMillis / 1000.0,
          sampled,
          sampled);
      System.out.printf(
          "[backlog] the customer published all %d in %.1f s (%.0f messages/s); the backoffice consumed and projected them in %.1f s (%.0f tickets/s)%n",
          ISSUES,
          publishedMillis / 1000.0,
          ISSUES * 1000.0 / publishedMillis,
          drainMillis / 1000.0,
          ISSUES * 1000.0 / drainMillis);
      System.out.println(
          "[backlog] customer   (-Xmx256m, SerialGC), during the drain: "
              + c.describe(drainMillis));
      System.out.println(
          "[backlog] backoffice (-Xmx256m, SerialGC), during the drain: "
              + b.describe(drainMillis));
      System.out.printf(
          "[backlog] peak queue depth (backoffice_service) %d messages; peak relay lag %d changes; samples: %s%n",
          sampler.peakQueueDepth(), sampler.peakRelayLag(), sampler.csv());
      // bounded by batch sizes and entity limits, not by the backlog: what stays live after a
      // collection leaves room, whatever is still waiting
      for (NodeProcess node : List.of(customer, backoffice)) {
        MemorySampler.Peaks p = sampler.peaks(node);
        assertTrue(
            p.oldCapacity() <= 0 || p.oldAfterGc() < 0.8 * p.oldCapacity(),
            node.name
                + ": the live set after collections reached the heap limit ("
                + p.describe(drainMillis)
                + ")");
      }
      assertTrue(c.samples() > 10 && b.samples() > 10, "memory was sampled during the drain");
      assertTrue(c.heap() < HEAP_LIMIT, "customer peak heap " + c.heap());
      assertTrue(b.heap() < HEAP_LIMIT, "backoffice peak heap " + b.heap());
    } finally {
      if (sampler != null) {
        sampler.close();
      }
      if (brokerStopped) {
        TestBroker.start();
      }
      TestPostgres.checkpoint();
    }
  }

  // ---- the backlog ------------------------------------------------------------------------------

  /** Issue {@code i}'s content: a distinct prefix, then words, 10,000 characters in all. */
  static String content(long seed, String prefix) {
    StringBuilder b = new StringBuilder(CONTENT_LENGTH + 16).append(prefix);
    Random random = new Random(seed);
    while (b.length() < CONTENT_LENGTH) {
      b.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(10) == 0 ? ". " : " ");
    }
    b.setLength(CONTENT_LENGTH);
    b.setCharAt(CONTENT_LENGTH - 1, '.');
    return b.toString();
  }

  /**
   * Inserts the backlog in transactions of {@link #INSERT_BATCH} rows; returns the ids in order.
   */
  private static List<UUID> insertBacklog(
      String schema,
      String template,
      String probeId,
      String probeContent,
      int serializerId,
      String manifest)
      throws SQLException {
    List<UUID> ids = new ArrayList<>(ISSUES);
    try (Connection c = TestPostgres.connect()) {
      c.setSchema(schema);
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO durable_state (persistence_id, revision, state_payload, state_serial_id,"
                  + " state_serial_manifest, tag, state_timestamp) VALUES (?, 1, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < ISSUES; i++) {
          UUID id = UUID.randomUUID();
          ids.add(id);
          String content = content(i, BACKLOG_PREFIX + i + " ");
          assertEquals(content, new IssueContent(content).value(), "valid content");
          String json = template.replace(probeId, id.toString()).replace(probeContent, content);
          s.setString(1, "Issue|" + id);
          s.setBytes(2, json.getBytes(StandardCharsets.UTF_8));
          s.setInt(3, serializerId);
          s.setString(4, manifest);
          s.setString(5, IssueEntity.tagFor(id));
          s.setLong(6, System.currentTimeMillis());
          s.addBatch();
          if ((i + 1) % INSERT_BATCH == 0 || i == ISSUES - 1) {
            s.executeBatch();
            c.commit();
          }
        }
      }
    }
    return ids;
  }

  private static int report(NodeProcess customer, UUID id, String content)
      throws IOException, InterruptedException {
    String body =
        "{\"issueId\":\""
            + id
            + "\",\"email\":\"backlog@example.com\",\"content\":\""
            + content
            + "\"}";
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(customer.url() + "/issues"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  // ---- the drain --------------------------------------------------------------------------------

  /** Waits until every ticket is there; returns when the customer had published everything (ms). */
  private static long awaitDrained(
      Deployment d, NodeProcess customer, NodeProcess backoffice, MemorySampler sampler, long start)
      throws Exception {
    long deadline = start + DRAIN_LIMIT.toNanos();
    long publishedAt = -1;
    long lastReport = 0;
    long lastTickets = 0;
    long lastAt = start;
    while (true) {
      for (NodeProcess node : List.of(customer, backoffice)) {
        if (!node.isAlive()) {
          String log = Files.readString(logOf(node));
          fail(
              node.name
                  + " died during the drain; "
                  + sampler.peaks(node)
                  + "; log: "
                  + tail(log, excerpt(log, "OutOfMemoryError")));
        }
      }
      long tickets = d.backofficeSql.count("SELECT count(*) FROM tickets") - 1;
      long now = System.nanoTime();
      if (publishedAt < 0
          && d.customerSql.count("SELECT count(*) FROM outbox_published") - 1 >= ISSUES) {
        publishedAt = nanosToMillis(now - start);
      }
      if (tickets >= ISSUES) {
        return publishedAt < 0 ? nanosToMillis(now - start) : publishedAt;
      }
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        long published = d.customerSql.count("SELECT count(*) FROM outbox_published") - 1;
        double rate = (tickets - lastTickets) / ((now - lastAt) / 1e9);
        System.out.printf(
            "[backlog:progress] %5.0f s: %d published, %d tickets (%.0f/s lately), %s%n",
            (now - start) / 1e9, published, tickets, rate, sampler.latest());
        lastReport = now;
        lastTickets = tickets;
        lastAt = now;
      }
      if (now > deadline) {
        long published = d.customerSql.count("SELECT count(*) FROM outbox_published") - 1;
        fail(
            String.format(
                "not drained within %s: %d of %d published, %d tickets, latest sample %s; customer %s; backoffice %s",
                DRAIN_LIMIT,
                published,
                ISSUES,
                tickets,
                sampler.latest(),
                sampler.peaks(customer),
                sampler.peaks(backoffice)));
      }
      Thread.sleep(1_000);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static Path logOf(NodeProcess node) {
    return ROOT.resolve("system-tests/target/fault-logs/" + node.name + ".log");
  }

  private static String excerpt(String log, String marker) {
    int at = log.indexOf(marker);
    if (at < 0) {
      return "";
    }
    return log.substring(Math.max(0, at - 2_000), Math.min(log.length(), at + 3_000));
  }

  private static String tail(String log, String orElse) {
    return orElse.isEmpty() ? log.substring(Math.max(0, log.length() - 4_000)) : orElse;
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }

  private static String abbreviated(String json) {
    return json.replaceAll("([a-z .]{40})[a-z .]{100,}", "$1...");
  }

  private static long nanosToMillis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void awaitTrue(
      Duration limit, String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(what + " not within " + limit);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Samples, every second, each node's resident set size ({@code /proc/<pid>/status} VmRSS) and,
   * from its {@code /metrics}, heap used, old generation after the last collection and GC counts;
   * and the queue depth and the relay's lag. Keeps every sample in a CSV file for the README.
   */
  static final class MemorySampler implements AutoCloseable {

    /** Peaks over the drain; GC figures counted from its start. */
    record Peaks(
        long heap,
        long oldAfterGc,
        long oldCapacity,
        long rss,
        long youngGcs,
        long fullGcs,
        double gcSeconds,
        int samples,
        int failedScrapes) {
      @Override
      public String toString() {
        return String.format(
            "peak heap used %.0f MiB, peak old gen after GC %.0f of %.0f MiB, peak RSS %.0f MiB, %d young + %d full GCs (%.1f s), %d samples%s",
            heap / 1048576.0,
            oldAfterGc / 1048576.0,
            oldCapacity / 1048576.0,
            rss / 1048576.0,
            youngGcs,
            fullGcs,
            gcSeconds,
            samples,
            failedScrapes > 0 ? ", " + failedScrapes + " scrapes unanswered" : "");
      }

      String describe(long drainMillis) {
        return this
            + String.format(
                ", GC %.0f %% of the drain's time", 100 * gcSeconds * 1000 / drainMillis);
      }
    }

    private static final class NodeSeries {
      final NodeProcess node;
      long heap;
      long oldAfterGc;
      long rss;
      long youngGcs;
      long fullGcs;
      double gcSeconds;
      long oldCapacity;
      long youngBefore;
      long fullBefore;
      double gcSecondsBefore;
      int samples;
      int failedScrapes;

      NodeSeries(NodeProcess node) {
        this.node = node;
      }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<NodeSeries> nodes = new ArrayList<>();
    private final StringBuilder csv =
        new StringBuilder(
            "seconds,phase,node,rss_bytes,heap_used_bytes,old_after_gc_bytes,young_gcs,full_gcs,queue_depth,relay_lag\n");
    private final long started = System.nanoTime();
    private volatile String phase = "outage";
    private volatile boolean drainStarted;
    private volatile boolean drainEnded;
    private long peakQueueDepth;
    private long peakRelayLag;
    private volatile String latest = "";
    private volatile boolean closed;

    static MemorySampler start(NodeProcess... nodes) {
      MemorySampler sampler = new MemorySampler();
      for (NodeProcess node : nodes) {
        sampler.nodes.add(new NodeSeries(node));
      }
      sampler.timer.scheduleWithFixedDelay(sampler::sampleSafely, 0, 1, TimeUnit.SECONDS);
      return sampler;
    }

    void markDrainStart() {
      phase = "drain";
      drainStarted = true;
    }

    void markDrainEnd() {
      phase = "after";
      drainEnded = true;
    }

    private void sampleSafely() {
      try {
        sample();
      } catch (RuntimeException e) {
        System.out.println("[backlog:sampler] " + e);
      }
    }

    private void sample() {
      long queue = -1;
      try {
        queue = org.example.helpdesk.system.InboxQueues.messagesWaiting();
      } catch (RuntimeException brokerDown) {
        // stopped, or starting
      }
      long lag = -1;
      StringBuilder line = new StringBuilder();
      double seconds = (System.nanoTime() - started) / 1e9;
      List<String> rows = new ArrayList<>();
      for (NodeSeries s : nodes) {
        if (!s.node.isAlive()) {
          continue;
        }
        long rss = rss(s.node.pid());
        String metrics = s.node.get("/metrics");
        long heap = (long) metric(metrics, "jvm_memory_used_bytes{area=\"heap\"}");
        long oldAfterGc =
            (long) metric(metrics, "jvm_memory_pool_collection_used_bytes{pool=\"Tenured Gen\"}");
        long young = (long) metric(metrics, "jvm_gc_collection_seconds_count{gc=\"Copy\"}");
        long full =
            (long) metric(metrics, "jvm_gc_collection_seconds_count{gc=\"MarkSweepCompact\"}");
        long oldCapacity =
            (long) metric(metrics, "jvm_memory_pool_max_bytes{pool=\"Tenured Gen\"}");
        double gcSeconds =
            metric(metrics, "jvm_gc_collection_seconds_sum{gc=\"Copy\"}")
                + metric(metrics, "jvm_gc_collection_seconds_sum{gc=\"MarkSweepCompact\"}");
        double relayLag =
            sumOf(metrics, "helpdesk_projection_lag_changes{", "projection=\"outbox-relay\"");
        synchronized (this) {
          if (drainStarted && !drainEnded) {
            if (metrics.isEmpty()) {
              s.failedScrapes++;
            } else {
              s.heap = Math.max(s.heap, heap);
              s.oldAfterGc = Math.max(s.oldAfterGc, oldAfterGc);
              s.oldCapacity = oldCapacity;
              s.youngGcs = young - s.youngBefore;
              s.fullGcs = full - s.fullBefore;
              s.gcSeconds = gcSeconds - s.gcSecondsBefore;
            }
            s.rss = Math.max(s.rss, rss);
            s.samples++;
            if (relayLag >= 0) {
              peakRelayLag = Math.max(peakRelayLag, (long) relayLag);
            }
            peakQueueDepth = Math.max(peakQueueDepth, queue);
          }
          if (!drainStarted && !metrics.isEmpty()) {
            // the last figures before the drain: its GC counts start from them
            s.youngBefore = young;
            s.fullBefore = full;
            s.gcSecondsBefore = gcSeconds;
          }
        }
        if (relayLag >= 0) {
          lag = (long) relayLag;
        }
        line.append(
            String.format(
                "%s heap %.0f MiB rss %.0f MiB (old after GC %.0f MiB, full GCs %d); ",
                s.node.name.substring(0, s.node.name.indexOf('-')),
                heap / 1048576.0,
                rss / 1048576.0,
                oldAfterGc / 1048576.0,
                full));
        rows.add(
            String.format(
                "%.1f,%s,%s,%d,%d,%d,%d,%d,%d,",
                seconds,
                phase,
                s.node.name.substring(0, s.node.name.indexOf('-')),
                rss,
                heap,
                oldAfterGc,
                young,
                full,
                queue));
      }
      synchronized (this) {
        for (String row : rows) {
          csv.append(row).append(lag).append('\n');
        }
      }
      latest = line + "queue " + queue + ", relay lag " + lag;
    }

    String latest() {
      return latest;
    }

    synchronized Peaks peaks(NodeProcess node) {
      for (NodeSeries s : nodes) {
        if (s.node == node) {
          return new Peaks(
              s.heap,
              s.oldAfterGc,
              s.oldCapacity,
              s.rss,
              s.youngGcs,
              s.fullGcs,
              s.gcSeconds,
              s.samples,
              s.failedScrapes);
        }
      }
      throw new IllegalArgumentException(node.name);
    }

    synchronized long peakQueueDepth() {
      return peakQueueDepth;
    }

    synchronized long peakRelayLag() {
      return peakRelayLag;
    }

    /** Writes the samples to a file; returns its path. */
    synchronized String csv() {
      Path file = ROOT.resolve("system-tests/target/backlog-samples.csv");
      try {
        Files.writeString(file, csv);
      } catch (IOException e) {
        return "not written: " + e;
      }
      return file.toString();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        timer.shutdownNow();
        try {
          timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static long rss(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone, or no /proc
      }
      return -1;
    }

    private static final Pattern LINE =
        Pattern.compile("^([^ {#]+(?:\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);

    /** The value of the series with exactly this name and labels, or -1. */
    static double metric(String metrics, String series) {
      Matcher m = LINE.matcher(metrics);
      while (m.find()) {
        if (m.group(1).equals(series)) {
          return Double.parseDouble(m.group(2));
        }
      }
      return -1;
    }

    /**
     * The sum of the series whose name and labels start with {@code prefix} and hold {@code label},
     * or -1.
     */
    static double sumOf(String metrics, String prefix, String label) {
      Matcher m = LINE.matcher(metrics);
      double sum = 0;
      boolean any = false;
      while (m.find()) {
        if (m.group(1).startsWith(prefix) && m.group(1).contains(label)) {
          sum += Double.parseDouble(m.group(2));
          any = true;
        }
      }
      return any ? sum : -1;
    }
  }
}
