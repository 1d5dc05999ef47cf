package org.example.helpdesk.customer.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.RestartSettings;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.amqp.UnitPublisher;

/**
 * One long-lived confirming publisher per node, for the outbox relays: a {@link UnitPublisher} that
 * declares the commands' topology. A unit (an issue's facts in order) is taken whole or not at all,
 * and fails whole with its connection, so a re-publish from its start never lets a later message
 * overtake an earlier one (an issue's cancel never overtakes its prepare).
 */
public final class CommandPublisher {

  /** How many units may wait, how many messages may be unconfirmed, how long a unit may take. */
  public record Settings(
      int buffer, int maxUnconfirmed, Duration confirmTimeout, RestartSettings restart) {}

  private final UnitPublisher units;

  private CommandPublisher(UnitPublisher units) {
    this.units = units;
  }

  public static CommandPublisher start(
      ActorSystem<?> system, AmqpConnector connector, Settings settings) {
    return new CommandPublisher(
        UnitPublisher.start(
            system,
            "command-publisher",
            connector,
            BrokerTopology::declare,
            new UnitPublisher.Settings(
                settings.buffer(),
                settings.maxUnconfirmed(),
                settings.confirmTimeout(),
                settings.restart())));
  }

  /** Completes once the broker confirmed every message of the unit; fails if it may not have. */
  public CompletionStage<Done> publish(List<OutboundMessage> messages) {
    return units.publish(messages);
  }
}
