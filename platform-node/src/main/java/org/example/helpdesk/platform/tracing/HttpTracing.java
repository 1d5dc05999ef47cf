package org.example.helpdesk.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A server span per HTTP request ({@code HTTP <method> <route>}, with method and status),
 * continuing the caller's W3C {@code traceparent}. The routes inside see the request with a {@code
 * traceparent} header naming this server span (and none at all when tracing is off: a caller's
 * trace headers are never taken as they are), which they hand on to what they ask of the entities
 * ({@code ApiDirectives#traceparent}).
 */
public final class HttpTracing {

  private static final AllDirectives D = new AllDirectives() {};

  /** Requests of machines polling the node: not traced. */
  private static final Pattern UNTRACED = Pattern.compile("/(health|metrics|assets)(/.*)?");

  private static final Pattern ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9]+");

  private HttpTracing() {}

  public static Route traced(Tracing tracing, Route routes) {
    if (!tracing.enabled()) {
      return D.mapRequest(HttpTracing::withoutTraceHeaders, () -> routes);
    }
    return D.extractRequest(
        request -> {
          String path = request.getUri().path();
          if (UNTRACED.matcher(path).matches()) {
            return D.mapRequest(HttpTracing::withoutTraceHeaders, () -> routes);
          }
          String method = request.method().value();
          Span span =
              tracing
                  .spanBuilder(
                      "HTTP " + method + " " + route(path),
                      parent(request),
                      SpanKind.SERVER,
                      "http.request.method",
                      method,
                      "url.path",
                      path,
                      "http.route",
                      route(path))
                  .startSpan();
          HttpRequest continued =
              withoutTraceHeaders(request)
                  .addHeader(RawHeader.create(Tracing.TRACEPARENT, Tracing.traceparent(span)));
          return D.mapResponse(
              response -> {
                int status = response.status().intValue();
                span.setAttribute("http.response.status_code", status);
                if (status >= 500) {
                  span.setStatus(StatusCode.ERROR);
                }
                span.end();
                return response;
              },
              () -> D.mapRequest(r -> continued, () -> routes));
        });
  }

  /**
   * The W3C {@code traceparent} of this request's server span, or null when tracing is off (or the
   * request is not traced), for what the route asks of an entity to continue.
   */
  public static Route traceparent(java.util.function.Function<String, Route> inner) {
    return D.optionalHeaderValueByName(
        Tracing.TRACEPARENT, value -> inner.apply(value.orElse(null)));
  }

  /** The route of a path: ids (UUIDs, numbers) as {@code {id}}, so that span names stay few. */
  static String route(String path) {
    StringBuilder route = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (route.length() > 0 || !segment.isEmpty()) {
        route.append('/');
      }
      route.append(ID.matcher(segment).matches() || segment.length() > 64 ? "{id}" : segment);
    }
    return route.length() == 0 ? "/" : route.toString();
  }

  private static Context parent(HttpRequest request) {
    Map<String, Object> headers = new HashMap<>(2);
    request
        .getHeader(Tracing.TRACEPARENT)
        .ifPresent(h -> headers.put(Tracing.TRACEPARENT, h.value()));
    request
        .getHeader(Tracing.TRACESTATE)
        .ifPresent(h -> headers.put(Tracing.TRACESTATE, h.value()));
    return Tracing.extract(headers);
  }

  private static HttpRequest withoutTraceHeaders(HttpRequest request) {
    for (HttpHeader h : request.getHeaders()) {
      if (h.is(Tracing.TRACEPARENT) || h.is(Tracing.TRACESTATE)) {
        return request.removeHeader(Tracing.TRACEPARENT).removeHeader(Tracing.TRACESTATE);
      }
    }
    return request;
  }
}
