package org.example.helpdesk.customer.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.example.helpdesk.platform.config.SmtpUrl;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Sends one mail at a time over SMTP with simple-java-mail (Jakarta Mail underneath) and says what
 * became of it, telling a refusal for good (5xx) from one worth retrying (4xx, no connection,
 * broken connection). Blocking: call it from a thread meant for blocking work.
 */
public final class SmtpMailSender implements AutoCloseable {

  private static final int MAX_REASON = 300;

  private final Mailer mailer;
  private final String from;

  /**
   * @param from the sender, {@code address} or {@code Name <address>} ({@code MAIL_FROM})
   * @param timeout for connecting, and for each read and write on the connection
   */
  public SmtpMailSender(SmtpUrl url, String from, Duration timeout) {
    this.from = Objects.requireNonNull(from, "from");
    this.mailer =
        MailerBuilder.withSMTPServer(url.host(), url.port(), url.user(), url.password())
            .withTransportStrategy(url.tls() ? TransportStrategy.SMTPS : TransportStrategy.SMTP)
            .withSessionTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
            .buildMailer();
    try {
      mailer.validate(
          EmailBuilder.startingBlank().from(from).to(from).withPlainText("probe").buildEmail());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("MAIL_FROM is not a mail address: " + from);
    }
  }

  public MailOutcome send(Mail mail) {
    Email email;
    try {
      email =
          EmailBuilder.startingBlank()
              .from(from)
              .to(mail.to())
              .withSubject(mail.subject())
              .withPlainText(mail.text())
              .fixingMessageId(mail.messageId())
              .buildEmail();
      mailer.validate(email);
    } catch (RuntimeException e) {
      // an address the library refuses will not become valid by waiting
      return new MailOutcome.Rejected(0, "not a mail that can be sent: " + reason(e));
    }
    try {
      mailer.sendMail(email, false).get();
      return new MailOutcome.Sent();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new MailOutcome.RetryLater("interrupted");
    } catch (ExecutionException e) {
      return classify(e.getCause());
    } catch (RuntimeException e) {
      return classify(e);
    }
  }

  /** A 5xx reply anywhere in the chain is a refusal for good; everything else is worth a retry. */
  static MailOutcome classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int code = replyCode(t);
      if (code >= 500 && code < 600) {
        return new MailOutcome.Rejected(code, reason(t));
      }
      if (code >= 400 && code < 500) {
        return new MailOutcome.RetryLater(code + " " + reason(t));
      }
      if (t instanceof AuthenticationFailedException) {
        // a configuration fault of this node, not of the mail: keep it until an operator fixes it
        return new MailOutcome.RetryLater("the SMTP server refused the credentials");
      }
      if (t instanceof MessagingException m
          && m.getNextException() != null
          && m.getCause() == null) {
        return classify(m.getNextException());
      }
    }
    // the library's own message ("Third party error") says less than what it wraps
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new MailOutcome.RetryLater(reason(root));
  }

  private static int replyCode(Throwable t) {
    if (t instanceof SMTPSendFailedException e) {
      return e.getReturnCode();
    }
    if (t instanceof SMTPAddressFailedException e) {
      return e.getReturnCode();
    }
    if (t instanceof SMTPSenderFailedException e) {
      return e.getReturnCode();
    }
    return -1;
  }

  private static String reason(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    message = message.strip().replaceAll("\\s+", " ");
    return message.length() <= MAX_REASON ? message : message.substring(0, MAX_REASON) + "…";
  }

  @Override
  public void close() {
    mailer.shutdownConnectionPool();
  }
}
