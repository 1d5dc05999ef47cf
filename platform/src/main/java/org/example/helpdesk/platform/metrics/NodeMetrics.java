package org.example.helpdesk.platform.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A node's metrics, served as Prometheus text on {@code GET /metrics}. Each node has a registry of
 * its own (two nodes can share a JVM). Gauges that query the database are read when scraped, on the
 * database's threads, never on the HTTP server's.
 */
public final class NodeMetrics extends AllDirectives {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Executor scrapeExecutor;

  public NodeMetrics(Executor scrapeExecutor) {
    this.scrapeExecutor = scrapeExecutor;
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public Route routes() {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    completeWithFuture(
                        CompletableFuture.supplyAsync(this::scrape, scrapeExecutor))));
  }

  private HttpResponse scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, out.toByteArray()));
  }
}
