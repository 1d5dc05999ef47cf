package org.example.helpdesk.platform.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.db.SqlMetrics;

/**
 * A node's metrics, served as Prometheus text on {@code GET /metrics}. Each node has a registry of
 * its own (two nodes can share a JVM). Gauges that query the database read values that {@link
 * SqlMetrics} keeps in the background: a scrape runs no query and is answered at once.
 */
public final class NodeMetrics extends AllDirectives {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SqlMetrics sql;

  public NodeMetrics(SqlMetrics sql) {
    this.sql = sql;
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** The node's metrics read from its database, in the background. */
  public SqlMetrics sql() {
    return sql;
  }

  public Route routes() {
    return path("metrics", () -> get(() -> complete(scrape())));
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
