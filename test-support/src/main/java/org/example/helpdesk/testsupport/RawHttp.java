package org.example.helpdesk.testsupport;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client on a plain socket, for requests {@link HttpTestClient} (and
 * any well-behaved client) will not send: any request-target (invalid percent-encoding, control
 * characters, absurd lengths), any method, no Content-Type at all, exact bytes, chunked bodies, a
 * body the server answers before reading it all. One request per connection ({@code Connection:
 * close}).
 *
 * <p>The body is written on a thread of its own while the response is read, so an early answer (a
 * 413 before the upload is finished) is not lost to a connection reset. Like {@link
 * HttpTestClient}, a request carries the test operator's credentials unless it has an {@code
 * Authorization} header of its own or is {@link Request#anonymous()}.
 */
public final class RawHttp {

  private static final int CHUNK = 64 * 1024;
  // far below the server's 60 s idle timeout, which is what an answer that does not come at once
  // would wait for; 2 s was once too short for a HEAD answer on a 2-core machine at a load of 12
  private static final int UNTIL_CLOSED_MILLIS = 5_000;

  private RawHttp() {}

  /** What to send. {@code target} goes on the request line exactly as given. */
  public record Request(
      String method,
      String target,
      Map<String, String> headers,
      byte[] body,
      boolean chunked,
      boolean withoutCredentials) {

    /** A request with the test operator's credentials. */
    public Request(
        String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {
      this(method, target, headers, body, chunked, false);
    }

    public static Request of(String method, String target) {
      return new Request(method, target, new LinkedHashMap<>(), null, false, false);
    }

    public Request header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Request(method, target, h, body, chunked, withoutCredentials);
    }

    /** The body, with its Content-Type unless that is null (then the request has none). */
    public Request body(String contentType, byte[] bytes) {
      Request r = new Request(method, target, headers, bytes, chunked, withoutCredentials);
      return contentType == null ? r : r.header("Content-Type", contentType);
    }

    /** The body in chunks ({@code Transfer-Encoding: chunked}) instead of a Content-Length. */
    public Request asChunked() {
      return new Request(method, target, headers, body, true, withoutCredentials);
    }

    /** Without the test operator's credentials. */
    public Request anonymous() {
      return new Request(method, target, headers, body, chunked, true);
    }

    private byte[] head() {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1\r\n");
      head.append("Connection: close\r\n");
      if (!withoutCredentials
          && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Authorization"))) {
        head.append("Authorization: ")
            .append(HttpTestClient.basic(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD))
            .append("\r\n");
      }
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append(
            chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
      }
      head.append("\r\n");
      return head.toString().getBytes(UTF_8);
    }

    private byte[] encodedBody() {
      if (body == null) {
        return new byte[0];
      }
      if (!chunked) {
        return body;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < body.length; i += CHUNK) {
        int n = Math.min(CHUNK, body.length - i);
        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
        out.write(body, i, n);
        out.writeBytes("\r\n".getBytes(ISO_8859_1));
      }
      out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
      return out.toByteArray();
    }
  }

  /**
   * What came back: the status, the headers (names in lower case) and the body as UTF-8 text (what
   * the tests compare; a chunked body is put together).
   */
  public record Reply(int status, Map<String, String> headers, String body) {

    public JsonNode json() {
      return HttpTestClient.json(body, this);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status
          + " "
          + header("content-type")
          + " "
          + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
  }

  /** Sends the request to the node on 127.0.0.1:{@code port}. */
  public static Reply send(int port, Request request) {
    return send(port, request.head(), request.encodedBody());
  }

  /**
   * Sends exactly these bytes, the head (request line and headers) and then the body, and reads the
   * response.
   */
  public static Reply send(int port, byte[] head, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(head);
                  for (int from = 0; from < body.length; from += CHUNK) {
                    out.write(body, from, Math.min(CHUNK, body.length - from));
                  }
                  out.flush();
                } catch (IOException e) {
                  // the server answered early and closed the connection: the response tells why
                }
              },
              "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      Reply reply = parse(readAll(socket.getInputStream()), true);
      writer.join(20_000);
      return reply;
    } catch (IOException e) {
      throw new IllegalStateException("raw HTTP exchange failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code METHOD target} with the given header lines ("Name: value"), {@code Connection: close}
   * and no body, read as {@link #sendUntilClosed(int, byte[])} reads it.
   */
  public static Reply sendUntilClosed(
      int port, String method, String target, String... headerLines) {
    StringBuilder request = new StringBuilder();
    request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return sendUntilClosed(port, request.toString().getBytes(ISO_8859_1));
  }

  /**
   * Exact bytes on a new connection, and the response read until the server closes it, within 5 s:
   * for answers that must come at once (a garbage request line, an overlong header), and for HEAD
   * responses, whose Content-Length announces a body that never comes ({@link #send} waits for it).
   * The body is what came after the head, as is. The request should ask for {@code Connection:
   * close}; a server that answers nothing in 5 s fails the test.
   */
  public static Reply sendUntilClosed(int port, byte[] request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), UNTIL_CLOSED_MILLIS);
      socket.setSoTimeout(UNTIL_CLOSED_MILLIS);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the server answered early (414, 431) and closed: the response tells why
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
          received.write(buffer, 0, n);
        }
      } catch (IOException e) {
        if (received.size() == 0) {
          throw new AssertionError("no answer within " + UNTIL_CLOSED_MILLIS + " ms", e);
        }
      }
      return parse(received.toByteArray(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        bytes.write(buffer, 0, n);
        if (complete(bytes.toByteArray())) {
          break;
        }
      }
    } catch (IOException e) {
      // a reset after the response is harmless; without a response it is the failure
      if (bytes.size() == 0) {
        throw e;
      }
    }
    return bytes.toByteArray();
  }

  /** Whether the bytes hold a whole response with a Content-Length body. */
  private static boolean complete(byte[] raw) {
    int end = headEnd(raw);
    if (end < 0) {
      return false;
    }
    String length = headers(new String(raw, 0, end, ISO_8859_1)).get("content-length");
    return length != null && raw.length - (end + 4) >= Integer.parseInt(length.trim());
  }

  private static int headEnd(byte[] raw) {
    for (int i = 0; i + 3 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, String> headers(String head) {
    Map<String, String> headers = new LinkedHashMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return headers;
  }

  /**
   * @param framed whether the body is as long as the head says (Content-Length, chunks), else all
   *     that came after the head
   */
  private static Reply parse(byte[] raw, boolean framed) {
    int end = headEnd(raw);
    if (end < 0) {
      throw new IllegalStateException("no complete HTTP response: " + new String(raw, ISO_8859_1));
    }
    String head = new String(raw, 0, end, ISO_8859_1);
    String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
    Map<String, String> headers = headers(head);
    byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
    byte[] body;
    if (!framed) {
      body = rest;
    } else if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length").trim());
      if (rest.length < length) {
        throw new IllegalStateException(
            "incomplete response (" + raw.length + " bytes: " + new String(raw, ISO_8859_1) + ")");
      }
      body = Arrays.copyOf(rest, length);
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(rest);
    } else {
      body = rest;
    }
    return new Reply(Integer.parseInt(statusLine[1]), headers, new String(body, UTF_8));
  }

  private static byte[] dechunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length) {
      int lineEnd = i;
      while (lineEnd + 1 < raw.length && !(raw[lineEnd] == '\r' && raw[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String sizeText = new String(raw, i, lineEnd - i, ISO_8859_1).split(";")[0].trim();
      int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
      if (size == 0) {
        break;
      }
      out.write(raw, lineEnd + 2, Math.min(size, raw.length - lineEnd - 2));
      i = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }
}
