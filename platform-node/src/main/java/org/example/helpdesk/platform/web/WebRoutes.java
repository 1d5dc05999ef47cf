package org.example.helpdesk.platform.web;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What every node's pages share: security headers on every response, the front-end libraries from
 * the WebJars on the classpath ({@code /assets/vendor/<webjar>/<version>/...}) and the nodes' own
 * scripts and styles ({@code /assets/app/...}), all from the jar: no CDN, works offline.
 */
public final class WebRoutes {

  /**
   * No inline script anywhere (scripts come from this origin only); styles may be inline because
   * htmx and Swagger UI set element styles; no framing, no referrer to other sites.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  public static final List<HttpHeader> SECURITY_HEADERS =
      List.of(
          RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("X-Frame-Options", "DENY"),
          RawHeader.create("Referrer-Policy", "no-referrer"));

  private static final AllDirectives D = new AllDirectives() {};

  private WebRoutes() {}

  public static Route withSecurityHeaders(Route routes) {
    return D.respondWithDefaultHeaders(SECURITY_HEADERS, () -> routes);
  }

  public static Route assets() {
    return D.pathPrefix(
        "assets",
        () ->
            D.get(
                () ->
                    D.respondWithHeader(
                        CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(3600)),
                        () ->
                            D.concat(
                                D.pathPrefix(
                                    "vendor",
                                    () -> D.getFromResourceDirectory("META-INF/resources/webjars")),
                                D.pathPrefix("app", () -> D.getFromResourceDirectory("web"))))));
  }
}
