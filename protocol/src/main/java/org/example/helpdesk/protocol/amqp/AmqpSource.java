package org.example.helpdesk.protocol.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
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

/**
 * Consumes a queue with manual acknowledgement. At most {@code prefetch} deliveries are
 * unacknowledged at any time, so the broker stops sending when the stream is slow: back-pressure
 * reaches the broker. The source fails when the connection or the consumer is lost; wrap it in a
 * {@code RestartSource} to reconnect.
 */
public final class AmqpSource {

  private AmqpSource() {}

  public static Source<CommittableMessage, NotUsed> committable(
      AmqpConnector connector, String queue, int prefetch, AmqpConnector.ChannelAction declare) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1");
    }
    return Source.fromGraph(new Stage(connector, queue, prefetch, declare));
  }

  private static final class Stage extends GraphStage<SourceShape<CommittableMessage>> {
    private final AmqpConnector connector;
    private final String queue;
    private final int prefetch;
    private final AmqpConnector.ChannelAction declare;
    private final Outlet<CommittableMessage> out = Outlet.create("AmqpSource.out");
    private final SourceShape<CommittableMessage> shape = SourceShape.of(out);

    Stage(AmqpConnector connector, String queue, int prefetch, AmqpConnector.ChannelAction declare) {
      this.connector = Objects.requireNonNull(connector);
      this.queue = Objects.requireNonNull(queue);
      this.prefetch = prefetch;
      this.declare = Objects.requireNonNull(declare);
    }

    @Override
    public SourceShape<CommittableMessage> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      // connecting and declaring block; keep that off the default dispatcher
      return Attributes.name("AmqpSource")
          .and(ActorAttributes.dispatcher(ActorAttributes.IODispatcher().dispatcher()));
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
      return new GraphStageLogic(shape) {
        private final ArrayDeque<CommittableMessage> buffer = new ArrayDeque<>();
        private Connection connection;
        private Channel channel;
        private AsyncCallback<CommittableMessage> onDelivery;
        private AsyncCallback<Throwable> onLost;

        {
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
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
          onLost = createAsyncCallback(this::failStage);
          try {
            connection = connector.newConnection();
            channel = connection.createChannel();
            declare.run(channel);
            channel.basicQos(prefetch);
            channel.basicConsume(queue, false, new Consumer(channel));
          } catch (Exception e) {
            // an unreachable broker is an ordinary failure of the stream, for its owner to retry
            failStage(e);
          }
        }

        private void deliver(CommittableMessage message) {
          if (buffer.isEmpty() && isAvailable(out)) {
            push(out, message);
          } else {
            buffer.add(message);
          }
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
            onDelivery.invoke(new CommittableMessage(getChannel(), envelope, properties, body));
          }

          @Override
          public void handleCancel(String consumerTag) {
            onLost.invoke(new IOException("consumer of queue '" + queue + "' was cancelled by the broker"));
          }

          @Override
          public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            if (!sig.isInitiatedByApplication()) {
              onLost.invoke(sig);
            }
          }
        }
      };
    }
  }
}
