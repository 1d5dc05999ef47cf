package org.example.helpdesk.backoffice;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client on a plain socket, for requests no well-behaved client would
 * send: any request target (invalid percent-encoding, control characters, absurd lengths), any
 * method, no Content-Type at all, raw bytes, chunked bodies. One request per connection.
 */
public final class RawHttp {

  private RawHttp() {}

  /** What to send. {@code target} goes on the request line exactly as given. */
  public record Request(
      String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {

    public static Request of(String method, String target) {
      return new Request(method, target, new LinkedHashMap<>(), null, false);
    }

    public Request header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Request(method, target, h, body, chunked);
    }

    public Request body(String contentType, byte[] bytes) {
      Request r = new Request(method, target, headers, bytes, chunked);
      return contentType == null ? r : r.header("Content-Type", contentType);
    }

    public Request asChunked() {
      return new Request(method, target, headers, body, true);
    }
  }

  /** What came back; header names in lower case. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      String t = text();
      return status
          + " "
          + header("content-type")
          + " "
          + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
    }
  }

  public static Response send(int port, Request request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      // written by another thread: the server may answer (413) before it has read the body
      Thread writer = new Thread(() -> write(socket, request), "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      byte[] raw = readAll(socket.getInputStream());
      return parse(raw);
    } catch (IOException e) {
      throw new IllegalStateException("raw HTTP exchange failed: " + e, e);
    }
  }

  private static void write(Socket socket, Request r) {
    try {
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1\r\n");
      head.append("Connection: close\r\n");
      if (r.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Authorization"))) {
        // the test operator, as HttpTestClient signs in
        head.append("Authorization: ")
            .append(
                org.example.helpdesk.testsupport.HttpTestClient.basic(
                    org.example.helpdesk.testsupport.TestEmployees.OPERATOR,
                    org.example.helpdesk.testsupport.TestEmployees.OPERATOR_PASSWORD))
            .append("\r\n");
      }
      r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (r.body() != null) {
        head.append(
            r.chunked()
                ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + r.body().length + "\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(UTF_8));
      if (r.body() != null) {
        if (r.chunked()) {
          int chunk = 64 * 1024;
          for (int i = 0; i < r.body().length; i += chunk) {
            int n = Math.min(chunk, r.body().length - i);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
            out.write(r.body(), i, n);
            out.write("\r\n".getBytes(ISO_8859_1));
          }
          out.write("0\r\n\r\n".getBytes(ISO_8859_1));
        } else {
          out.write(r.body());
        }
      }
      out.flush();
    } catch (IOException ignored) {
      // the server may close the connection before it read everything (e.g. a 413): the
      // response it sent before tells what happened
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
    Map<String, String> headers = headers(new String(raw, 0, end, ISO_8859_1));
    String length = headers.get("content-length");
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

  private static Response parse(byte[] raw) {
    int end = headEnd(raw);
    if (end < 0) {
      throw new IllegalStateException("no complete HTTP response: " + new String(raw, ISO_8859_1));
    }
    String head = new String(raw, 0, end, ISO_8859_1);
    String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
    Map<String, String> headers = headers(head);
    byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    byte[] body;
    if (headers.containsKey("content-length")) {
      body =
          java.util.Arrays.copyOf(
              rest, Math.min(rest.length, Integer.parseInt(headers.get("content-length").trim())));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(rest);
    } else {
      body = rest;
    }
    return new Response(Integer.parseInt(statusLine[1]), headers, body);
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
