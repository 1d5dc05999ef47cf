package org.example.helpdesk.backoffice.ticket.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.example.helpdesk.backoffice.ticket.TicketView;
import org.example.helpdesk.platform.web.PageTime;

/** The tickets list's rows and its paging links, as the list template shows them. */
final class TicketRows {

  private TicketRows() {}

  static Map<String, Object> row(TicketView t) {
    Map<String, Object> r = new HashMap<>();
    r.put("ticketId", t.ticketId());
    r.put("ticketType", t.ticketType().value());
    String d = t.description().value();
    r.put(
        "shortDescription",
        d.isBlank() ? "(no description)" : d.length() > 120 ? d.substring(0, 120) + "…" : d);
    r.put("status", t.status());
    r.put("assignee", t.assignee() == null ? null : t.assignee().value());
    r.put("preparedAt", PageTime.of(t.preparedAt()));
    return r;
  }

  static Optional<Integer> pageNumber(String raw) {
    try {
      int n = Integer.parseInt(raw);
      return n >= 1 && n <= 10_000 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static String query(String status, int page) {
    return "status=" + URLEncoder.encode(status, UTF_8) + "&page=" + page;
  }
}
