package org.example.helpdesk.platform.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Requests by method, route template and status: {@code helpdesk_http_requests_total} and the
 * latency histogram {@code helpdesk_http_request_duration_seconds} (until the response's head is
 * ready; a streamed body may go on). Wrapped around the node's routes with their error handling
 * inside, so that every response counts with the status the client gets.
 */
public final class HttpMetrics extends AllDirectives {

  private final RouteTemplates templates;
  private final Counter requests;
  private final Histogram duration;

  public HttpMetrics(PrometheusRegistry registry, RouteTemplates templates) {
    this.templates = templates;
    this.requests =
        Counter.builder()
            .name("helpdesk_http_requests")
            .help("HTTP requests answered, by method, route template and status")
            .labelNames("method", "route", "status")
            .register(registry);
    this.duration =
        Histogram.builder()
            .name("helpdesk_http_request_duration_seconds")
            .help("Time to answer an HTTP request, by method, route template and status")
            .labelNames("method", "route", "status")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
  }

  public Route instrument(Route inner) {
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          // (the method is one pekko knows: it answers an unknown one with a 501 before routing)
          String method = request.method().name();
          String route = templates.match(request.getUri().path());
          return mapResponse(
              response -> {
                String status = Integer.toString(response.status().intValue());
                requests.labelValues(method, route, status).inc();
                duration
                    .labelValues(method, route, status)
                    .observe((System.nanoTime() - start) / 1e9);
                return response;
              },
              () -> inner);
        });
  }
}
