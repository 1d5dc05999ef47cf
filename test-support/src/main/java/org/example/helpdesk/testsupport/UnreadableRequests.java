package org.example.helpdesk.testsupport;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * Requests the server's parser refuses before any route sees them, the same on both nodes (the
 * pekko.http.server settings of helpdesk-node.conf): a request line it cannot read (once no answer
 * for the 60 s of the idle-timeout), an unknown method, an overlong request line or header. Each
 * must be answered at once, with its status and a JSON error.
 */
public final class UnreadableRequests {

  private static final long AT_ONCE_MILLIS = 2_000;

  /** One such request, and the status it must get. */
  public record Unreadable(String name, String request, int status) {
    @Override
    public String toString() {
      return name + " -> " + status;
    }
  }

  private UnreadableRequests() {}

  /** The cases, with {@code path} (a route of the node) where a request line has a target. */
  public static List<Unreadable> cases(String path) {
    String end = " HTTP/1.1\r\nHost: x\r\n";
    return List.of(
        new Unreadable("GARBAGE and two line ends", "GARBAGE\r\n\r\n", 400),
        new Unreadable("a request line without a target", "GET\r\n\r\n", 400),
        new Unreadable("a short word", "X\r\n\r\n", 400),
        new Unreadable("control characters", "\u0001\u0002\u0003\u0004\u0005\r\n\r\n", 400),
        new Unreadable("a made-up method", "BREW " + path + end + "\r\n", 501),
        new Unreadable("a long made-up method", "PROPFIND " + path + end + "\r\n", 400),
        new Unreadable(
            "a 10,000-character request line", "GET /" + "a".repeat(10_000) + end + "\r\n", 414),
        new Unreadable(
            "a 100,000-character header",
            "GET " + path + end + "X-Junk: " + "j".repeat(100_000) + "\r\n\r\n",
            431));
  }

  /** Sends it: its status within 2 s, with a JSON {@code {"error": ...}}. */
  public static void assertAnsweredAtOnce(int port, Unreadable c) {
    long started = System.nanoTime();
    RawHttp.Reply reply = RawHttp.sendUntilClosed(port, c.request().getBytes(ISO_8859_1));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(c.status(), reply.status(), () -> c.name() + ": " + reply);
    assertTrue(millis < AT_ONCE_MILLIS, () -> c.name() + " took " + millis + " ms");
    assertEquals("application/json", reply.header("Content-Type"), reply::toString);
    assertTrue(reply.body().startsWith("{\"error\":"), reply::toString);
  }
}
