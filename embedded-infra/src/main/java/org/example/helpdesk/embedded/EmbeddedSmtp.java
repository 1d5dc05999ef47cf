package org.example.helpdesk.embedded;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real SMTP server in the JVM (GreenMail), for a machine without one: it takes every mail on
 * loopback, keeps each as an {@code .eml} file under its directory and reports one line per mail,
 * so that {@code ./run.sh} shows what customers would have received.
 */
public final class EmbeddedSmtp implements AutoCloseable {

  /** Away from 25 (needs root) and 1025 (Mailpit, MailHog). */
  public static final int DEFAULT_PORT = 2525;

  private final GreenMail server;
  private final Path directory;
  private final Consumer<String> report;
  private final ScheduledExecutorService keeper;
  private int kept;

  private EmbeddedSmtp(GreenMail server, Path directory, Consumer<String> report) {
    this.server = server;
    this.directory = directory;
    this.report = report;
    this.keeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "embedded-smtp-keeper");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the server on 127.0.0.1:{@code port} (0: any free port).
   *
   * @param report told one line per mail received
   */
  public static EmbeddedSmtp start(Path directory, int port, Consumer<String> report) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    EmbeddedSmtp smtp = new EmbeddedSmtp(server, directory, report);
    // GreenMail keeps mail in memory; copying it out every half second keeps the console timely
    smtp.keeper.scheduleWithFixedDelay(smtp::keepNew, 500, 500, TimeUnit.MILLISECONDS);
    return smtp;
  }

  public int port() {
    return server.getSmtp().getPort();
  }

  /** Where the mail is kept, one {@code .eml} file per mail, numbered in arrival order. */
  public Path directory() {
    return directory;
  }

  /** How many mails were received so far. */
  public int received() {
    return server.getReceivedMessages().length;
  }

  private synchronized void keepNew() {
    MimeMessage[] all = server.getReceivedMessages();
    while (kept < all.length) {
      MimeMessage mail = all[kept];
      kept++;
      try {
        Path file = directory.resolve(String.format("%05d.eml", kept));
        Files.writeString(file, GreenMailUtil.getWholeMessage(mail), StandardCharsets.UTF_8);
        report.accept(
            "mail to "
                + String.join(", ", addresses(mail))
                + ": \""
                + mail.getSubject()
                + "\" ("
                + file
                + ")");
      } catch (IOException | MessagingException | RuntimeException e) {
        report.accept("mail " + kept + " could not be kept: " + e.getMessage());
      }
    }
  }

  private static String[] addresses(MimeMessage mail) throws MessagingException {
    var recipients = mail.getAllRecipients();
    if (recipients == null) {
      return new String[] {"(nobody)"};
    }
    String[] out = new String[recipients.length];
    for (int i = 0; i < recipients.length; i++) {
      out[i] = recipients[i].toString();
    }
    return out;
  }

  @Override
  public void close() {
    keeper.shutdown();
    try {
      keeper.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    keepNew();
    server.stop();
  }
}
