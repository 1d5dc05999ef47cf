package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.List;

/**
 * The type names of the Ticket's commands and events in JSON (in the entity's envelope and the
 * journal's {@code Recorded} wrapper): the records' simple names, fixed for good once stored. A
 * Jackson module of the node's serialization configuration ({@code backoffice-serialization.conf}),
 * so that the rules carry no annotations.
 */
public final class TicketJson extends SimpleModule {

  static final List<Class<?>> EVENTS =
      List.of(
          Ticket.TicketWasPrepared.class,
          Ticket.TicketWasCancelled.class,
          Ticket.TicketWasAssigned.class,
          Ticket.TicketWasAnswered.class);

  private static final List<Class<?>> COMMANDS =
      List.of(
          Ticket.Prepare.class,
          Ticket.Cancel.class,
          Ticket.Assign.class,
          Ticket.Answer.class,
          Ticket.Get.class);

  public TicketJson() {
    super("helpdesk-ticket");
    for (Class<?> type : EVENTS) {
      registerSubtypes(new NamedType(type, type.getSimpleName()));
    }
    for (Class<?> type : COMMANDS) {
      registerSubtypes(new NamedType(type, type.getSimpleName()));
    }
  }
}
