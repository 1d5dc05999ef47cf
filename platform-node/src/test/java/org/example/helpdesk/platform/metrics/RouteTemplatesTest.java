package org.example.helpdesk.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Request paths named by their route template, and anything else by one bounded value. */
class RouteTemplatesTest {

  private final RouteTemplates templates =
      RouteTemplates.of(
          List.of(
              "/",
              "/tickets",
              "/tickets/{ticketId}",
              "/tickets/{ticketId}/assign",
              "/dead-letters/{id}/replay",
              "/dead-letters/bulk/replay",
              "/console/dead-letters/{id}",
              "/console/dead-letters/bulk"));

  @Test
  void aPathIsNamedByTheMostSpecificTemplateItMatches() {
    assertEquals("/", templates.match("/"));
    assertEquals("/tickets", templates.match("/tickets"));
    assertEquals("/tickets", templates.match("/tickets/"));
    assertEquals(
        "/tickets/{ticketId}", templates.match("/tickets/3f0e6a4c-0000-4000-8000-000000000001"));
    assertEquals("/tickets/{ticketId}", templates.match("/tickets/not-a-uuid"));
    assertEquals("/tickets/{ticketId}/assign", templates.match("/tickets/x/assign"));
    assertEquals("/dead-letters/bulk/replay", templates.match("/dead-letters/bulk/replay"));
    assertEquals("/dead-letters/{id}/replay", templates.match("/dead-letters/17/replay"));
    assertEquals("/console/dead-letters/bulk", templates.match("/console/dead-letters/bulk"));
    assertEquals("/console/dead-letters/{id}", templates.match("/console/dead-letters/17"));
    assertEquals("/health/ready", templates.match("/health/ready"));
    assertEquals("/assets/**", templates.match("/assets/vendor/htmx.org/2.0.4/dist/htmx.min.js"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unmatched")
  void anythingElseIsUnmatchedWhateverItsShape(String shown, String path) {
    String route = templates.match(path);
    assertEquals(
        path.equals("//") ? "/" : RouteTemplates.UNMATCHED, route, () -> path + " -> " + route);
  }

  static Stream<Arguments> unmatched() {
    return Stream.of(
            "/nope",
            "/tickets/a/b/c",
            "/tickets/x/cancel",
            "//",
            "/tickets//assign/",
            "/%2e%2e/etc/passwd",
            "/" + "x/".repeat(500))
        .map(p -> Arguments.of(p.length() > 40 ? "/x/x/... (" + p.length() + ")" : p, p));
  }
}
