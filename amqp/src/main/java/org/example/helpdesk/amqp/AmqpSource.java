package org.example.helpdesk.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a queue with manual acknowledgement. At most {@code prefetch} deliveries are
 * unacknowledged at any time, so the broker stops sending when the stream is slow: back-pressure
 * reaches the broker. The source fails when the connection or the consumer is lost; wrap it in a
 * {@code RestartSource} to reconnect.
 *
 * <p><b>Bounded in bytes.</b> Its connection takes bodies of at most {@code maxMessageBytes}, so at
 * most {@code prefetch × maxMessageBytes} are ever held. A larger message makes the client close
 * the connection (it refuses the body before reading it), and the broker would hand the same
 * message back first, for ever. So then the source goes careful: on a connection that takes up to
 * {@code maxOversizeBytes} it takes messages one at a time ({@code basic.get}, the next only once
 * the last was settled) until it has taken the oversized one — which its consumer can keep as a
 * dead letter — or {@code prefetch} messages, and then consumes as before. An oversized message
 * costs one connection and its own size in memory, once.
 */
public final class AmqpSource {

  private static final Logger log = LoggerFactory.getLogger(AmqpSource.class);

  private AmqpSource() {}

  /**
   * @param prefetch unacknowledged deliveries at most
   * @param maxMessageBytes the largest body consumed as usual
   * @param maxOversizeBytes the largest body the careful mode can still take (and so get rid of)
   * @param exclusive consume as the queue's only consumer (the broker refuses a second one)
   */
  public record Settings(
      int prefetch, int maxMessageBytes, int maxOversizeBytes, boolean exclusive) {
    public Settings(int prefetch, int maxMessageBytes, int maxOversizeBytes) {
      this(prefetch, maxMessageBytes, maxOversizeBytes, false);
    }

    public Settings {
      if (prefetch < 1) {
        throw new IllegalArgumentException("prefetch must be at least 1");
      }
      if (maxMessageBytes < 1 || maxOversizeBytes < maxMessageBytes) {
        throw new IllegalArgumentException("need 0 < maxMessageBytes <= maxOversizeBytes");
      }
    }
  }

  public static Source<CommittableMessage, NotUsed> committable(
      AmqpConnector connector,
      String queue,
      Settings settings,
      AmqpConnector.ChannelAction declare) {
    return Source.fromGraph(new Stage(connector, queue, settings, declare));
  }

  /** With the client's default limit on message bodies. */
  public static Source<CommittableMessage, NotUsed> committable(
      AmqpConnector connector, String queue, int prefetch, AmqpConnector.ChannelAction declare) {
    return committable(connector, queue, new Settings(prefetch, 64 << 20, 64 << 20), declare);
  }

  /** Whether a connection ended because the client refused a message body as too large. */
  static boolean refusedAsTooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("Message body is too large")) {
        return true;
      }
    }
    return false;
  }

  private static final class Stage extends GraphStage<SourceShape<CommittableMessage>> {
    private final AmqpConnector consuming;
    private final AmqpConnector careful;
    private final String queue;
    private final Settings settings;
    private final AmqpConnector.ChannelAction declare;
    private final boolean exclusive;
    private final Outlet<CommittableMessage> out = Outlet.create("AmqpSource.out");
    private final SourceShape<CommittableMessage> shape = SourceShape.of(out);

    Stage(
        AmqpConnector connector,
        String queue,
        Settings settings,
        AmqpConnector.ChannelAction declare) {
      Objects.requireNonNull(connector);
      this.consuming = connector.withMaxInboundBodyBytes(settings.maxMessageBytes());
      this.careful = connector.withMaxInboundBodyBytes(settings.maxOversizeBytes());
      this.queue = Objects.requireNonNull(queue);
      this.settings = settings;
      this.declare = Objects.requireNonNull(declare);
      this.exclusive = settings.exclusive();
    }

    @Override
    public SourceShape<CommittableMessage> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      // connecting, declaring and basic.get block; keep that off the default dispatcher
      return Attributes.name("AmqpSource")
          .and(ActorAttributes.dispatcher(ActorAttributes.IODispatcher().dispatcher()));
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
      return new GraphStageLogic(shape) {
        private final ArrayDeque<CommittableMessage> buffer = new ArrayDeque<>();
        private Connection connection;
        private Channel channel;
        private volatile Channel consumerChannel;
        private AsyncCallback<CommittableMessage> onDelivery;
        private AsyncCallback<Throwable> onLost;
        private AsyncCallback<Channel> onCarefulSettled;
        // careful mode: taking messages one at a time after an oversized one
        private boolean carefulMode;
        private boolean awaitingSettle;
        private int carefulTaken;
        private boolean tookOversized;

        {
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  if (carefulMode) {
                    takeCarefully();
                    return;
                  }
                  CommittableMessage next = buffer.poll();
                  if (next != null) {
                    push(out, next);
                  }
                }
              });
        }

        @Override
        public void preStart() {
          onDelivery = createAsyncCallback(this::deliver);
          onLost = createAsyncCallback(this::lost);
          onCarefulSettled = createAsyncCallback(this::carefulSettled);
          consume();
        }

        private void consume() {
          try {
            connection = consuming.newConnection();
            channel = connection.createChannel();
            declare.run(channel);
            channel.basicQos(settings.prefetch());
            consumerChannel = channel;
            // the queue's one consumer: a second source (another node) is refused by the broker
            // until this one is gone, whatever the cluster believes
            try {
              channel.basicConsume(queue, false, "", false, exclusive, null, new Consumer(channel));
            } catch (IOException e) {
              throw exclusive && QueueInExclusiveUse.isRefusal(e)
                  ? new QueueInExclusiveUse(queue, e)
                  : e;
            }
          } catch (Exception e) {
            // an unreachable broker is an ordinary failure of the stream, for its owner to retry
            failStage(e);
          }
        }

        private void deliver(CommittableMessage message) {
          if (carefulMode) {
            return; // a late delivery of the connection that failed: the broker has it back
          }
          if (buffer.isEmpty() && isAvailable(out)) {
            push(out, message);
          } else {
            buffer.add(message);
          }
        }

        private void lost(Throwable failure) {
          if (carefulMode) {
            return;
          }
          if (!refusedAsTooLarge(failure)) {
            failStage(failure);
            return;
          }
          // what was delivered on the lost connection is back at the broker, in order
          buffer.clear();
          closeQuietly();
          log.warn(
              "A message on {} is larger than {} bytes: taking messages one at a time until it is out",
              queue,
              settings.maxMessageBytes());
          carefulMode = true;
          carefulTaken = 0;
          tookOversized = false;
          awaitingSettle = false;
          try {
            connection = careful.newConnection();
            channel = connection.createChannel();
            declare.run(channel);
          } catch (Exception e) {
            failStage(e);
            return;
          }
          takeCarefully();
        }

        private void takeCarefully() {
          if (awaitingSettle || !isAvailable(out)) {
            return;
          }
          GetResponse response;
          try {
            response = channel.basicGet(queue, false);
          } catch (Exception e) {
            // larger still than the careful limit, or the broker is gone: the owner restarts us
            failStage(e);
            return;
          }
          if (response == null) {
            backToConsuming();
            return;
          }
          carefulTaken++;
          tookOversized |= response.getBody().length > settings.maxMessageBytes();
          awaitingSettle = true;
          Channel taken = channel;
          push(
              out,
              new CommittableMessage(
                  taken,
                  response.getEnvelope(),
                  response.getProps(),
                  response.getBody(),
                  () -> onCarefulSettled.invoke(taken)));
        }

        private void carefulSettled(Channel settledOn) {
          if (!carefulMode || settledOn != channel) {
            return;
          }
          awaitingSettle = false;
          if (tookOversized || carefulTaken >= settings.prefetch()) {
            backToConsuming();
          } else {
            takeCarefully();
          }
        }

        private void backToConsuming() {
          closeQuietly();
          carefulMode = false;
          consume();
        }

        @Override
        public void postStop() {
          // closing the channel hands every unacknowledged delivery back to the queue
          closeQuietly();
        }

        private void closeQuietly() {
          try {
            if (connection != null && connection.isOpen()) {
              connection.close(2_000);
            }
          } catch (Exception ignored) {
            // the broker is gone already; nothing left to release
          }
        }

        final class Consumer extends DefaultConsumer {
          Consumer(Channel channel) {
            super(channel);
          }

          @Override
          public void handleDelivery(
              String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            onDelivery.invoke(
                new CommittableMessage(getChannel(), envelope, properties, body, () -> {}));
          }

          @Override
          public void handleCancel(String consumerTag) {
            onLost.invoke(
                new IOException("consumer of queue '" + queue + "' was cancelled by the broker"));
          }

          @Override
          public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            if (!sig.isInitiatedByApplication() && getChannel() == consumerChannel) {
              onLost.invoke(sig);
            }
          }
        }
      };
    }
  }
}
