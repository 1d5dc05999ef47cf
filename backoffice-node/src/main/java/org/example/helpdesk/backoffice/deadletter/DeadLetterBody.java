package org.example.helpdesk.backoffice.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.example.helpdesk.backoffice.deadletter.DeadLetterRoutes.DeadLetterView;
import org.example.helpdesk.platform.http.Json;
import org.example.helpdesk.platform.web.PageTime;

/**
 * A dead letter's body on its page: whole (the operator copies or downloads the original), indented
 * when it is JSON, folded when long; the corrected-body box starts with it.
 */
final class DeadLetterBody {

  /** Longer bodies are folded (a click shows them). */
  private static final int FOLD_LINES = 30;

  private static final int FOLD_CHARS = 4_096;

  private DeadLetterBody() {}

  /** The template's {@code letter}. */
  static Map<String, Object> letter(DeadLetterView v, String typed) {
    Map<String, Object> letter = new HashMap<>();
    letter.put("id", v.id());
    letter.put("messageId", v.messageId());
    letter.put("type", v.type());
    letter.put("status", v.status());
    letter.put("waitsFor", v.waitsFor());
    letter.put("error", v.error());
    letter.put("attempts", v.attempts());
    letter.put("firstFailed", PageTime.of(v.firstFailedAt()));
    letter.put("lastFailed", PageTime.of(v.lastFailedAt()));
    letter.put("bodySize", v.bodySize());
    letter.put("bytesWord", v.bodySize() == 1 ? "byte" : "bytes");
    letter.put("bodyTruncated", v.bodyTruncated());
    letter.put("base64", v.body() == null);
    Optional<String> pretty = v.body() == null ? Optional.empty() : pretty(v.body());
    String text = v.body() != null ? pretty.orElse(v.body()) : v.bodyBase64();
    letter.put("pretty", pretty.isPresent());
    letter.put("bodyText", text);
    long lines = text.lines().count();
    letter.put("lines", lines);
    letter.put("folded", lines > FOLD_LINES || text.length() > FOLD_CHARS);
    // a binary body cannot be corrected as text; a failed replay keeps what was typed
    letter.put("corrected", typed != null ? typed : v.body() != null ? text : "");
    letter.put("open", v.status().equals("failed") || v.status().equals("parked"));
    return letter;
  }

  /** JSON, indented; empty when the text is not JSON. */
  static Optional<String> pretty(String text) {
    try {
      JsonNode tree = Json.MAPPER.readTree(text);
      return tree == null || tree.isMissingNode()
          ? Optional.empty()
          : Optional.of(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * What a replay from the page replays: the stored bytes when the box is empty or still says what
   * is stored (as the page showed it, indented or not), else the corrected body.
   */
  static Optional<byte[]> replacement(Optional<DeadLetter> stored, String body) {
    if (body.isEmpty()) {
      return Optional.empty();
    }
    if (stored.isPresent()) {
      String original = new String(stored.get().body(), UTF_8);
      if (original.strip().equals(body) || sameJson(original, body)) {
        return Optional.empty();
      }
    }
    return Optional.of(body.getBytes(UTF_8));
  }

  private static boolean sameJson(String a, String b) {
    try {
      JsonNode x = Json.MAPPER.readTree(a);
      JsonNode y = Json.MAPPER.readTree(b);
      return x != null && !x.isMissingNode() && x.equals(y);
    } catch (Exception e) {
      return false;
    }
  }

  /** The stored bytes as a file to save, never shown inline. */
  static HttpResponse download(DeadLetter d) {
    boolean json = pretty(new String(d.body(), UTF_8)).isPresent() && d.complete();
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, d.body()))
        .addHeader(
            RawHeader.create(
                "Content-Disposition",
                "attachment; filename=\"dead-letter-" + d.id() + (json ? ".json" : ".bin") + "\""));
  }
}
