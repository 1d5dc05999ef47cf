package org.example.helpdesk.platform.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StdStreamsTest {

  @Test
  void withJsonAStrayLineBecomesAJsonObjectAndTheEncodersLinesPassAsTheyAre() throws Exception {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(new StdStreams.LineGuard(target, true, "stdout", "INFO"), true, UTF_8);
    out.println("# stop a projection, amqp://u:hunter2@h/x");
    out.print("{\"level\":\"INFO\",\"message\":\"from the encoder\"}\n");
    out.print("half a ");
    out.print("line\n");
    List<String> lines = target.toString(UTF_8).lines().toList();
    assertEquals(3, lines.size(), target.toString(UTF_8));
    ObjectMapper json = new ObjectMapper();
    JsonNode stray = json.readTree(lines.get(0));
    assertEquals("stdout", stray.path("logger").asText());
    assertEquals("# stop a projection, amqp://u:***@h/x", stray.path("message").asText());
    assertEquals("from the encoder", json.readTree(lines.get(1)).path("message").asText());
    assertEquals("half a line", json.readTree(lines.get(2)).path("message").asText());
  }

  @Test
  void withTextLinesOnlyLoseTheirPasswords() {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(new StdStreams.LineGuard(target, false, "stdout", "INFO"), true, UTF_8);
    out.println("jdbc:postgresql://db/x?password=hunter2 and more");
    assertTrue(
        target
            .toString(UTF_8)
            .equals("jdbc:postgresql://db/x?password=*** and more" + System.lineSeparator()),
        target.toString(UTF_8));
  }

  @ParameterizedTest(name = "json {0}")
  @ValueSource(booleans = {false, true})
  void theProjectionLibrarysStopLineIsDropped(boolean json) {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(new StdStreams.LineGuard(target, json, "stdout", "INFO"), true, UTF_8);
    out.println(
        "# stop org.apache.pekko.projection.jdbc.internal.JdbcProjectionImpl$JdbcRunningProjection@17d2e9be");
    out.println("kept");
    List<String> lines = target.toString(UTF_8).lines().toList();
    assertEquals(1, lines.size(), target.toString(UTF_8));
    assertTrue(lines.get(0).contains("kept"), lines.get(0));
  }
}
