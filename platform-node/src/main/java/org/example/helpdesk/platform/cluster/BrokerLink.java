package org.example.helpdesk.platform.cluster;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.example.helpdesk.amqp.AmqpConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the broker answers, for readiness: looked at every {@code interval} in the background,
 * never per request. The node keeps one idle connection for it and, each time, opens and closes a
 * channel on it: a round trip to the broker, bounded by {@link #ANSWER_WITHIN}. A broker that is
 * down refuses at once; one that is black-holed (connections stay open, nothing comes back) would
 * be noticed by AMQP heartbeats only after about 20 s, and by this after 2 s. A round trip that
 * does not come back aborts the connection (which frees the one thread that waits on it), and the
 * next look opens a new one: one connection and one thread per node, whatever the probes.
 */
public final class BrokerLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);

  /** How long a look waits for the broker's answer. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

  private final AmqpConnector connector;
  private final Cancellable schedule;
  private final ExecutorService prober;
  private volatile boolean up;
  private volatile Connection link;
  private Future<?> inFlight; // (only touched by the scheduled task)

  public BrokerLink(ActorSystem<?> system, AmqpConnector connector, Duration interval) {
    this.connector = connector;
    this.prober =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, system.name() + "-broker-link");
              t.setDaemon(true);
              return t;
            });
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
    if (inFlight != null && !inFlight.isDone()) {
      up = false; // the last round trip is still out (its connection is being aborted)
      return;
    }
    inFlight =
        prober.submit(
            () -> {
              roundTrip();
              return null;
            });
    try {
      inFlight.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      up = true;
    } catch (TimeoutException silent) {
      changed("the broker did not answer within " + ANSWER_WITHIN.toMillis() + " ms");
      abort();
    } catch (Exception e) {
      changed("the broker does not answer: " + e.getCause());
      abort();
    } catch (Throwable t) {
      up = false;
      throw t;
    }
  }

  private void roundTrip() throws Exception {
    Connection c = link;
    if (c == null || !c.isOpen()) {
      c = connector.newConnection();
      link = c;
    }
    Channel channel = c.createChannel();
    channel.close();
  }

  private void changed(String why) {
    if (up) {
      log.warn("Readiness: {}", why);
    }
    up = false;
  }

  private void abort() {
    Connection c = link;
    link = null;
    if (c != null) {
      try {
        c.abort(500);
      } catch (RuntimeException ignored) {
        // gone anyway
      }
    }
  }

  @Override
  public synchronized void close() {
    schedule.cancel();
    abort();
    prober.shutdownNow();
  }
}
