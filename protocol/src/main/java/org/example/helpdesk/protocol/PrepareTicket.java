package org.example.helpdesk.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * {@code ticket.prepareTicket}: open a ticket in the backoffice for work that arrived elsewhere.
 */
public record PrepareTicket(UUID ticketId, String ticketType, String description)
    implements DistributedCommand {

  /**
   * Longest description the backoffice accepts; the customer's issue content has the same bound.
   */
  public static final int MAX_DESCRIPTION_LENGTH = 10_000;

  public static final int MAX_TICKET_TYPE_LENGTH = 100;

  public PrepareTicket {
    Objects.requireNonNull(ticketId, "ticketId is required");
    if (ticketType == null || TextRules.isBlank(ticketType)) {
      throw new IllegalArgumentException("ticketType is required and must not be blank");
    }
    if (ticketType.length() > MAX_TICKET_TYPE_LENGTH) {
      throw new IllegalArgumentException(
          "ticketType must be at most " + MAX_TICKET_TYPE_LENGTH + " characters");
    }
    Objects.requireNonNull(description, "description is required");
    if (description.length() > MAX_DESCRIPTION_LENGTH) {
      throw new IllegalArgumentException(
          "description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
    }
    String problem = TextRules.problem("ticketType", ticketType);
    if (problem == null) {
      problem = TextRules.problem("description", description);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
