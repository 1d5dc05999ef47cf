package org.example.helpdesk.platform.cluster;

import com.rabbitmq.client.Connection;
import java.time.Duration;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.example.helpdesk.protocol.amqp.AmqpConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the broker answers, for readiness: looked at every {@code interval} in the background,
 * never per request. A node whose consumer or publisher holds a connection is up while that
 * connection is open (heartbeats notice a silent broker); a node without one (the backoffice node
 * that does not run the inbox) keeps one idle connection of its own, opened again at most once per
 * interval while the broker is away.
 */
public final class BrokerLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);

  private final AmqpConnector connector;
  private final Cancellable schedule;
  private volatile boolean up;
  private Connection standby; // (only touched by the scheduled task and close)

  public BrokerLink(ActorSystem<?> system, AmqpConnector connector, Duration interval) {
    this.connector = connector;
    this.schedule =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ZERO,
                interval,
                this::look,
                system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  /** The broker answered when last looked at. */
  public boolean isUp() {
    return up;
  }

  private synchronized void look() {
    if (connector.hasOpenConnection()) {
      up = true;
      return;
    }
    try {
      standby = connector.newConnection();
      up = standby.isOpen();
    } catch (Exception e) {
      if (up) {
        log.debug("The broker does not answer: {}", e.toString());
      }
      up = false;
    }
  }

  @Override
  public synchronized void close() {
    schedule.cancel();
    if (standby != null) {
      try {
        standby.abort(1000);
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
  }
}
