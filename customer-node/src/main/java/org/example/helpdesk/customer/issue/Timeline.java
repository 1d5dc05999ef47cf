package org.example.helpdesk.customer.issue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to an issue as its reporter sees it, oldest first, read from its facts: reported,
 * received, assigned, answered (with support's words), closed by support or by the customer. The
 * mails it caused are not part of it.
 */
public final class Timeline {

  private Timeline() {}

  /**
   * One moment. {@code what}: {@code reported}, {@code received}, {@code assigned}, {@code
   * answered}, {@code closed-by-support} or {@code closed}; {@code reply}: support's words of an
   * answer, else null.
   */
  public record Moment(Instant at, String what, String reply) {}

  public static List<Moment> of(List<Issue.Fact> facts) {
    List<Moment> moments = new ArrayList<>();
    for (Issue.Fact fact : facts) {
      if (fact instanceof Issue.IssueWasReported r) {
        moments.add(new Moment(r.at(), "reported", null));
      } else if (fact instanceof Issue.IssueWasClosed c) {
        moments.add(new Moment(c.at(), "closed", null));
      } else if (fact instanceof Issue.TicketProgressed t) {
        moments.add(
            new Moment(t.at(), what(t.step()), t.reply() == null ? null : t.reply().value()));
      }
    }
    return List.copyOf(moments);
  }

  private static String what(Issue.TicketStep step) {
    return switch (step) {
      case PREPARED -> "received";
      case ASSIGNED -> "assigned";
      case ANSWERED -> "answered";
      case CANCELLED -> "closed-by-support";
    };
  }
}
