package org.example.helpdesk.backoffice.ticket.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketHistory;
import org.example.helpdesk.platform.web.PageTime;

/**
 * A ticket's history as the console's timeline shows it: each entry in words, and what the history
 * says about the forms the page may offer (a reply only to a customer, and not once cancelled).
 */
final class TicketTimeline {

  private TicketTimeline() {}

  /** The timeline's context: {@code entries} oldest first. */
  static Map<String, Object> context(List<TicketHistory.Entry> history) {
    Map<String, Object> c = new HashMap<>();
    c.put("entries", history.stream().map(TicketTimeline::entry).toList());
    return c;
  }

  /**
   * Whether the ticket can be answered by its history: it came from a customer's issue and is not
   * cancelled. (The history, from the journal, is ahead of the read model.)
   */
  static boolean answerable(List<TicketHistory.Entry> history) {
    return !history.isEmpty()
        && Ticket.CUSTOMER_SERVICE.equals(history.get(0).details().get("origin"))
        && history.stream().noneMatch(e -> e.what().equals("cancelled"));
  }

  private static Map<String, Object> entry(TicketHistory.Entry e) {
    Map<String, Object> m = new HashMap<>();
    m.put("at", PageTime.of(e.at()));
    m.put("what", e.what());
    m.put("text", words(e));
    m.put("reply", e.details().get("reply"));
    return m;
  }

  private static String words(TicketHistory.Entry e) {
    String by = e.by() == null ? "" : " by " + e.by();
    return switch (e.what()) {
      case "prepared" ->
          Ticket.CUSTOMER_SERVICE.equals(e.details().get("origin"))
              ? "Prepared from a customer's issue"
              : "Created in the backoffice";
      case "assigned" -> "Assigned to " + e.details().get("assignee") + by;
      case "answered" -> "Answered the customer" + by;
      case "cancelled" ->
          Ticket.CUSTOMER_SERVICE.equals(e.by())
              ? "Cancelled: the customer closed the issue"
              : "Cancelled" + by;
      default -> e.what() + by;
    };
  }
}
