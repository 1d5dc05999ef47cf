package org.example.helpdesk.backoffice.ticket;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The journal tags of the Ticket events: each ticket's events carry one of {@link #COUNT} tags,
 * always the same for a ticket; the read model runs one projection instance per tag.
 */
public final class TicketTags {

  /** Stored with each event: fixed for good. */
  public static final int COUNT = 4;

  private static final List<String> TAGS =
      IntStream.range(0, COUNT).mapToObj(i -> "ticket-" + i).toList();

  private TicketTags() {}

  public static String tagFor(UUID ticketId) {
    return TAGS.get(Math.floorMod(ticketId.hashCode(), COUNT));
  }

  /** Every tag, in order: one read-model projection instance each. */
  public static List<String> all() {
    return TAGS;
  }
}
