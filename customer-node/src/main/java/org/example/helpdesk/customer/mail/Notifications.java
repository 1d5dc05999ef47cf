package org.example.helpdesk.customer.mail;

import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.StoredIssue;
import org.example.helpdesk.platform.web.PageTime;

/** The mail a notification fact of an issue becomes: who gets it, what it says, its id. */
public final class Notifications {

  /** How much of the issue's text a mail quotes. */
  static final int QUOTED = 300;

  private Notifications() {}

  /** The mail of this entry, if it is a notification. */
  public static Optional<Mail> mailOf(StoredIssue stored, StoredIssue.Entry entry) {
    if (!(entry.fact() instanceof Issue.NotificationWasQueued n)) {
      return Optional.empty();
    }
    Issue.ReportedIssue issue = stored.issue();
    String news =
        switch (n.about()) {
          case AGENT_ASSIGNED -> "An agent is working on your issue.";
          case SUPPORT_REPLIED -> "Support replied to your issue:\n\n" + n.reply().value();
          case CLOSED_BY_SUPPORT -> "Support closed your issue.";
        };
    String subject =
        switch (n.about()) {
          case AGENT_ASSIGNED -> "An agent is working on your issue";
          case SUPPORT_REPLIED -> "Support replied to your issue";
          case CLOSED_BY_SUPPORT -> "Support closed your issue";
        };
    String text =
        "Hello,\n\n"
            + news
            + "\n\nYour issue "
            + issue.issueId()
            + ", reported "
            + PageTime.text(issue.reportedAt())
            + ":\n\n"
            + quoted(issue.content().value())
            + "\n\n-- \nHelpdesk\n";
    return Optional.of(
        new Mail(messageId(issue.issueId(), entry.number()), issue.email().value(), subject, text));
  }

  /** The same for every try of the same notification: the issue and the entry's number. */
  static String messageId(UUID issueId, long entryNumber) {
    return "<" + issueId + "." + entryNumber + "@customer-service.helpdesk>";
  }

  private static String quoted(String content) {
    int cut =
        Character.isHighSurrogate(content.charAt(Math.min(QUOTED, content.length()) - 1))
            ? QUOTED - 1
            : QUOTED;
    String text = content.length() <= QUOTED ? content : content.substring(0, cut) + "…";
    return "> " + text.replace("\n", "\n> ");
  }
}
