package org.example.helpdesk.customer.outbox;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.StoredIssue;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;

/**
 * What the backoffice is asked to do when something happens to an issue: the one place that turns
 * an issue's facts into distributed commands. A reported issue prepares a ticket of the same id, a
 * closed one cancels it.
 */
final class BackofficeCommands {

  private BackofficeCommands() {}

  /**
   * The command a fact asks of the backoffice: none for what the backoffice itself told (a ticket's
   * progress) or what is for the customer (a mail), and none for a close that support made.
   */
  static Optional<DistributedCommand> commandFor(UUID issueId, Issue.Fact fact) {
    if (fact instanceof Issue.IssueWasReported reported) {
      return Optional.of(
          new PrepareTicket(
              issueId, TicketType.CUSTOMER_ISSUE, reported.content().asDescription()));
    }
    if (fact instanceof Issue.IssueWasClosed) {
      return Optional.of(new CancelTicket(issueId));
    }
    return Optional.empty();
  }

  /** Whether the backoffice is to hear of this entry. */
  static boolean isForBackoffice(UUID issueId, StoredIssue.Entry entry) {
    return commandFor(issueId, entry.fact()).isPresent();
  }

  /** Stable: the same on every re-publish, so that the backoffice recognises a repeat. */
  static String messageId(UUID issueId, StoredIssue.Entry entry) {
    return issueId + ":" + entry.number();
  }

  /**
   * The message for an outbox entry of an issue; {@code headers}: the trace context it carries, or
   * null.
   */
  static OutboundMessage message(
      UUID issueId, StoredIssue.Entry entry, Map<String, Object> headers) {
    return CommandMessage.toBackoffice(
        commandFor(issueId, entry.fact()).orElseThrow(),
        messageId(issueId, entry),
        issueId.toString(),
        entry.fact().at(),
        headers);
  }
}
