package org.example.helpdesk.platform.web;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaRanges;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.headers.Accept;

/**
 * Server-rendered pages: Mustache templates from the classpath ({@code templates/<name>.mustache}),
 * which escape every value unless a template asks otherwise, so text a customer typed can never
 * become markup.
 */
public final class Pages {

  private static final Mustache.Compiler COMPILER =
      Mustache.compiler()
          .defaultValue("")
          .emptyStringIsFalse(true)
          .zeroIsFalse(true)
          .withLoader(name -> reader("templates/" + name + ".mustache"));

  private static final Map<String, Template> TEMPLATES = new ConcurrentHashMap<>();

  private Pages() {}

  /** The page {@code name} rendered with {@code context} (a map, record or bean). */
  public static String render(String name, Object context) {
    return TEMPLATES
        .computeIfAbsent(name, n -> COMPILER.compile(reader("templates/" + n + ".mustache")))
        .execute(context);
  }

  public static HttpResponse response(StatusCode status, String name, Object context) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, render(name, context)));
  }

  /**
   * Whether the client asked for HTML before JSON: a browser navigating sends {@code text/html}
   * first; curl and API clients send {@code *}{@code /*} or {@code application/json}.
   */
  public static boolean prefersHtml(java.util.Optional<Accept> accept) {
    if (accept.isEmpty()) {
      return false;
    }
    for (var range : accept.get().getMediaRanges()) {
      if (range.matches(MediaTypes.TEXT_HTML) && !range.equals(MediaRanges.ALL)) {
        return range.qValue() > 0;
      }
      if (range.matches(MediaTypes.APPLICATION_JSON) && !range.equals(MediaRanges.ALL)) {
        return false;
      }
    }
    return false;
  }

  private static Reader reader(String resource) {
    InputStream in = Pages.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalArgumentException("no template " + resource);
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
