package org.example.helpdesk.platform.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.example.helpdesk.platform.http.Json;

/**
 * The routes a node serves, as templates ({@code /tickets/{ticketId}}: a {@code {name}} segment
 * stands for any one non-empty segment, a final {@code **} for any rest), to name a request's route
 * in metrics by its template, never by its raw path: the label's values stay as few as the
 * templates (a path no template matches is {@value #UNMATCHED}).
 */
public final class RouteTemplates {

  public static final String UNMATCHED = "unmatched";

  /** What every node serves besides its own routes (see {@code Node.serve}, {@code WebRoutes}). */
  public static final List<String> COMMON =
      List.of(
          "/health",
          "/health/live",
          "/health/ready",
          "/metrics",
          "/openapi.json",
          "/docs",
          "/assets/**");

  private record Template(String text, String[] segments, int literals, boolean rest) {}

  private final List<Template> templates;

  private RouteTemplates(Set<String> texts) {
    List<Template> list = new ArrayList<>();
    for (String text : texts) {
      String[] segments = split(text);
      boolean rest = segments.length > 0 && segments[segments.length - 1].equals("**");
      int literals = 0;
      for (String s : segments) {
        if (!s.startsWith("{") && !s.equals("**")) {
          literals++;
        }
      }
      list.add(new Template(text, segments, literals, rest));
    }
    // the most specific first: exact lengths before a rest, then more literal segments
    list.sort(
        Comparator.comparing(Template::rest)
            .thenComparing(Comparator.comparingInt(Template::literals).reversed())
            .thenComparing(Template::text));
    this.templates = List.copyOf(list);
  }

  public static RouteTemplates of(List<String> templates) {
    Set<String> all = new LinkedHashSet<>(COMMON);
    all.addAll(templates);
    return new RouteTemplates(all);
  }

  /** The paths of an OpenAPI document on the classpath, and {@code more}. */
  public static RouteTemplates openApi(String resource, List<String> more) {
    List<String> all = new ArrayList<>();
    try (InputStream in = RouteTemplates.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no OpenAPI document " + resource + " on the classpath");
      }
      JsonNode doc = Json.MAPPER.readTree(in);
      for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
        all.add(paths.next());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    all.addAll(more);
    return of(all);
  }

  /** The template of a request's path, or {@value #UNMATCHED}. */
  public String match(String path) {
    String[] segments = split(path);
    for (Template t : templates) {
      if (matches(t, segments)) {
        return t.text();
      }
    }
    return UNMATCHED;
  }

  private static boolean matches(Template t, String[] path) {
    int fixed = t.rest() ? t.segments().length - 1 : t.segments().length;
    if (t.rest() ? path.length < fixed : path.length != fixed) {
      return false;
    }
    for (int i = 0; i < fixed; i++) {
      String s = t.segments()[i];
      boolean fits = s.startsWith("{") ? !path[i].isEmpty() : s.equals(path[i]);
      if (!fits) {
        return false;
      }
    }
    return true;
  }

  /** The segments of a path; a trailing slash is no segment ("/" has none). */
  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
