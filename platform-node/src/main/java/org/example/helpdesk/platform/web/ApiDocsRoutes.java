package org.example.helpdesk.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's OpenAPI document at {@code /openapi.json} (a resource written beside the routes and
 * checked against them by a test) and Swagger UI, from its WebJar, at {@code /docs}.
 */
public final class ApiDocsRoutes extends AllDirectives {

  private final byte[] document;
  private final String title;

  /**
   * @param resource the OpenAPI document on the classpath, e.g. {@code openapi/customer.json}
   */
  public ApiDocsRoutes(String resource, String title) {
    try (InputStream in = ApiDocsRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no OpenAPI document " + resource);
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.title = title;
  }

  public Route routes() {
    return concat(
        path(
            "openapi.json",
            () ->
                get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, document)))),
        path(
            "docs",
            () ->
                get(
                    () ->
                        complete(Pages.response(StatusCodes.OK, "docs", Map.of("title", title))))));
  }
}
