package org.example.helpdesk.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What kind of work a ticket is, such as {@link #CUSTOMER_ISSUE}. */
public record TicketType(String value) implements Text {

  public static final int MAX_LENGTH = 100;

  /** The type of the tickets that customers' issues prepare. */
  public static final TicketType CUSTOMER_ISSUE = new TicketType("customer-issue");

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public TicketType {
    TextRules.require("ticketType", value, MAX_LENGTH, false);
  }
}
