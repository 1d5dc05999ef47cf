package org.example.helpdesk.customer.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A hostile SMTP peer for tests: speaks just enough SMTP to reach the command it is told to refuse,
 * then answers that command with the given reply (such as {@code 450 mailbox busy} or {@code 550 no
 * such user}). Real servers can be made to refuse only with a lot of configuration; this makes each
 * refusal one line.
 */
final class ScriptedSmtpPeer implements AutoCloseable {

  private final ServerSocket server;
  private final Thread thread;

  /**
   * @param refuse the command to refuse: {@code MAIL}, {@code RCPT} or {@code DATA} (the reply to
   *     the message's end)
   */
  ScriptedSmtpPeer(String refuse, String reply) throws IOException {
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    thread =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  converse(s, refuse, reply);
                } catch (IOException e) {
                  // closed, or the client hung up: next one
                }
              }
            },
            "scripted-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private static void converse(Socket s, String refuse, String reply) throws IOException {
    var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
    say(out, "220 scripted ESMTP");
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO", "HELO" -> say(out, "250 scripted");
        case "MAIL", "RCPT" -> say(out, verb.equals(refuse) ? reply : "250 ok");
        case "DATA" -> {
          say(out, "354 go on");
          while ((line = in.readLine()) != null && !line.equals(".")) {
            // the message is read and dropped
          }
          say(out, "DATA".equals(refuse) ? reply : "250 queued");
        }
        case "QUIT" -> {
          say(out, "221 bye");
          return;
        }
        default -> say(out, "250 ok");
      }
    }
  }

  private static void say(Writer out, String line) throws IOException {
    out.write(line + "\r\n");
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
