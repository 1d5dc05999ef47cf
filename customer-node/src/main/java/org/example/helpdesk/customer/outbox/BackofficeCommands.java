package org.example.helpdesk.customer.outbox;

import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.customer.issue.Issue;
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

  static DistributedCommand commandFor(UUID issueId, Issue.Fact fact) {
    if (fact instanceof Issue.IssueWasReported reported) {
      return new PrepareTicket(
          issueId, TicketType.CUSTOMER_ISSUE, reported.content().asDescription());
    }
    return new CancelTicket(issueId);
  }

  /** Stable: the same on every re-publish, so that the backoffice recognises a repeat. */
  static String messageId(UUID issueId, Issue.Fact fact) {
    return issueId + ":" + fact.number();
  }

  /** The message for a fact of an issue; {@code headers}: the trace context it carries, or null. */
  static OutboundMessage message(UUID issueId, Issue.Fact fact, Map<String, Object> headers) {
    return CommandMessage.toBackoffice(
        commandFor(issueId, fact),
        messageId(issueId, fact),
        issueId.toString(),
        fact.recordedAt(),
        headers);
  }
}
