package org.example.helpdesk.backoffice.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.backoffice.ticket.Ticket.Command;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.State;

/**
 * Given/when/then over the Ticket's pure rules ({@link Ticket#decide}, {@link Ticket#evolve}): the
 * ticket {@link #ID} made of past events, a command at {@link #NOW}, and what it records.
 *
 * <pre>
 * given(prepared()).when(new Assign(alice, "carol")).then(new TicketWasAssigned(ID, alice, NOW, "carol"));
 * given().when(new Get()).thenRejected(NotFoundException.class);
 * </pre>
 */
final class TicketRules {

  static final UUID ID = UUID.fromString("7c0f3a52-1d2e-4b8a-9f61-0a1b2c3d4e5f");
  static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");

  private TicketRules() {}

  static Given given(Event... history) {
    State state = new Ticket.Unprepared();
    for (Event event : history) {
      state = Ticket.evolve(state, event);
    }
    return new Given(state);
  }

  record Given(State state) {
    When when(Command command) {
      return new When(state, command);
    }
  }

  static final class When {
    private final State before;
    private final Command command;

    When(State before, Command command) {
      this.before = before;
      this.command = command;
    }

    /** The command records exactly these events; returns the ticket as they leave it. */
    TicketView then(Event... expected) {
      Optional<Event> decided = decide();
      assertEquals(List.of(expected), decided.stream().toList(), () -> "events of " + command);
      return ticket(decided.map(e -> Ticket.evolve(before, e)).orElse(before));
    }

    /** The command is accepted and records nothing; returns the ticket, unchanged. */
    TicketView thenNothing() {
      return then();
    }

    /** The rules refuse the command with this rejection. */
    void thenRejected(Class<? extends RuntimeException> rejection) {
      assertThrows(rejection, () -> Ticket.decide(before, command, ID, NOW), command::toString);
    }

    private Optional<Event> decide() {
      try {
        return Ticket.decide(before, command, ID, NOW);
      } catch (RuntimeException rejected) {
        return fail(command + " was rejected: " + rejected, rejected);
      }
    }

    private static TicketView ticket(State state) {
      return assertInstanceOf(Ticket.Prepared.class, state).ticket();
    }
  }
}
