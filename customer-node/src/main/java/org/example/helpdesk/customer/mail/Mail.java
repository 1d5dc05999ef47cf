package org.example.helpdesk.customer.mail;

import java.util.Objects;

/**
 * One e-mail to a customer. {@code messageId} is stable for the notification it carries (issue id
 * and fact number), so a mail sent again after an unknown outcome has the same {@code Message-ID}
 * and a mail client or a deduplicating relay can tell.
 */
public record Mail(String messageId, String to, String subject, String text) {

  public Mail {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    if (!messageId.startsWith("<") || !messageId.endsWith(">") || !messageId.contains("@")) {
      throw new IllegalArgumentException("a Message-ID looks like <left@right>: " + messageId);
    }
  }
}
