package org.example.helpdesk.backoffice.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 requests sent from a chosen source address of 127.0.0.0/8 (the whole block is this
 * host's loopback): a test plays several clients that the node tells apart by their address.
 */
final class FromAddress {

  private FromAddress() {}

  record Reply(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * @param headers name, value, name, value ...
   */
  static Reply send(String from, int port, String method, String path, String... headers) {
    return exchange(from, port, method, path, true, headers);
  }

  private static Reply exchange(
      String from, int port, String method, String path, boolean body, String... headers) {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(60_000);
      StringBuilder request = new StringBuilder();
      request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
      request.append("Connection: close\r\n");
      if (!method.equals("GET")) {
        request.append("Content-Length: 0\r\n");
      }
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(UTF_8));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> h = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          h.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      String text = body ? new String(in.readAllBytes(), UTF_8) : "";
      return new Reply(status, h, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response that stays open (server-sent events): its status, until closed. */
  record Stream(Socket socket, int status) implements AutoCloseable {
    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closed anyway
      }
    }
  }

  static Stream stream(String from, int port, String path, String... headers) {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder();
      request.append("GET ").append(path).append(" HTTP/1.1\r\n");
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
      request.append("Accept: text/event-stream\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(UTF_8));
      socket.getOutputStream().flush();
      String head = readHead(socket.getInputStream());
      return new Stream(socket, Integer.parseInt(head.split("\r\n")[0].split(" ")[1]));
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      throw new UncheckedIOException(e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
      if (matched == 4) {
        break;
      }
    }
    return head.toString(ISO_8859_1);
  }
}
