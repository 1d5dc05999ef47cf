package org.example.helpdesk.customer.mail;

/** What became of one attempt to send a mail. */
public sealed interface MailOutcome {

  /** The server accepted it (answered 250 to the message). */
  record Sent() implements MailOutcome {}

  /**
   * Try again later: the server could not be reached, answered 4xx, refused the credentials, or the
   * connection broke (then the outcome is unknown and the next try may deliver it twice, with the
   * same Message-ID).
   */
  record RetryLater(String reason) implements MailOutcome {}

  /** The server refused this mail for good (5xx to the sender, a recipient or the message). */
  record Rejected(int code, String reason) implements MailOutcome {}
}
