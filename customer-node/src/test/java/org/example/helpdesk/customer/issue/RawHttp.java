package org.example.helpdesk.customer.issue;

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
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} will not send: a
 * request-target that is not a valid URI, exact bytes, a body the server answers before reading it
 * all. The body is written on a thread of its own while the response is read, so an early answer
 * (413 before the upload is finished) is not lost to a connection reset.
 */
final class RawHttp {

  /** A response: status, headers (names in lower case) and the body as UTF-8 text. */
  record Reply(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code method target} with the given header lines (each "Name: value") and body, with
   * {@code Connection: close} and, when there is a body, its {@code Content-Length}.
   */
  static Reply exchange(
      int port, String method, String target, byte[] body, String... headerLines) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return exchange(port, head.toString().getBytes(ISO_8859_1), body == null ? new byte[0] : body);
  }

  static Reply exchange(int port, byte[] head, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(head);
                  for (int from = 0; from < body.length; from += 64 * 1024) {
                    out.write(body, from, Math.min(64 * 1024, body.length - from));
                  }
                  out.flush();
                } catch (IOException e) {
                  // the server answered early and closed the connection: the response tells why
                }
              },
              "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      Reply reply = read(socket.getInputStream());
      writer.join(20_000);
      return reply;
    } catch (IOException e) {
      throw new IllegalStateException("raw HTTP exchange failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Reply read(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    IOException failure = null;
    while (true) {
      Reply complete = parse(received.toByteArray(), false);
      if (complete != null) {
        return complete;
      }
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        failure = e;
        break;
      }
      if (n < 0) {
        break;
      }
      received.write(buffer, 0, n);
    }
    Reply atEnd = parse(received.toByteArray(), true);
    if (atEnd == null) {
      throw new IOException(
          "incomplete response ("
              + received.size()
              + " bytes: "
              + received.toString(ISO_8859_1)
              + ")",
          failure);
    }
    return atEnd;
  }

  /** The response in these bytes, or null when more are needed. */
  private static Reply parse(byte[] bytes, boolean atEnd) {
    String text = new String(bytes, ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    int bodyStart = headEnd + 4;
    String length = headers.get("content-length");
    if (length == null) {
      return atEnd
          ? new Reply(
              status, headers, new String(bytes, bodyStart, bytes.length - bodyStart, UTF_8))
          : null;
    }
    int n = Integer.parseInt(length);
    if (bytes.length - bodyStart < n) {
      return null;
    }
    return new Reply(status, headers, new String(bytes, bodyStart, n, UTF_8));
  }
}
