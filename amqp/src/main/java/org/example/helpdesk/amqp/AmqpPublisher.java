package org.example.helpdesk.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.FlowWithContext;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Publishes with publisher confirms. An element leaves the flow only once the broker has confirmed
 * it (for a persistent message to a durable queue: written to disk), in the order it came in,
 * together with the context it came with. At most {@code maxUnconfirmed} messages are in flight.
 *
 * <p>The flow fails, rather than drop anything, when the broker nacks or returns a message or the
 * connection drops; the elements in flight were then not confirmed and their owner publishes them
 * again.
 */
public final class AmqpPublisher {

  private AmqpPublisher() {}

  public static <C> FlowWithContext<OutboundMessage, C, OutboundMessage, C, NotUsed> confirming(
      AmqpConnector connector, int maxUnconfirmed, AmqpConnector.ChannelAction declare) {
    if (maxUnconfirmed < 1) {
      throw new IllegalArgumentException("maxUnconfirmed must be at least 1");
    }
    Flow<Pair<OutboundMessage, C>, Pair<OutboundMessage, C>, NotUsed> flow =
        Flow.fromGraph(new Stage<C>(connector, maxUnconfirmed, declare));
    return FlowWithContext.fromPairs(flow);
  }

  /** The broker refused a message: it nacked it, or it could not route it to any queue. */
  public static final class PublishRefusedException extends IOException {
    public PublishRefusedException(String message) {
      super(message);
    }
  }

  private static final class Stage<C>
      extends GraphStage<FlowShape<Pair<OutboundMessage, C>, Pair<OutboundMessage, C>>> {
    private final AmqpConnector connector;
    private final int maxUnconfirmed;
    private final AmqpConnector.ChannelAction declare;
    private final Inlet<Pair<OutboundMessage, C>> in = Inlet.create("AmqpPublisher.in");
    private final Outlet<Pair<OutboundMessage, C>> out = Outlet.create("AmqpPublisher.out");
    private final FlowShape<Pair<OutboundMessage, C>, Pair<OutboundMessage, C>> shape =
        FlowShape.of(in, out);

    Stage(AmqpConnector connector, int maxUnconfirmed, AmqpConnector.ChannelAction declare) {
      this.connector = Objects.requireNonNull(connector);
      this.maxUnconfirmed = maxUnconfirmed;
      this.declare = Objects.requireNonNull(declare);
    }

    @Override
    public FlowShape<Pair<OutboundMessage, C>, Pair<OutboundMessage, C>> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      return Attributes.name("AmqpPublisher")
          .and(ActorAttributes.dispatcher(ActorAttributes.IODispatcher().dispatcher()));
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
      return new GraphStageLogic(shape) {
        /** In publish order, keyed by the channel's publish sequence number. */
        private final TreeMap<Long, InFlight<C>> inFlight = new TreeMap<>();

        private Connection connection;
        private Channel channel;
        private AsyncCallback<Confirm> onConfirm;
        private AsyncCallback<Throwable> onFailure;

        {
          setHandler(
              in,
              new AbstractInHandler() {
                @Override
                public void onPush() throws IOException {
                  Pair<OutboundMessage, C> element = grab(in);
                  OutboundMessage message = element.first();
                  long seqNo = channel.getNextPublishSeqNo();
                  inFlight.put(seqNo, new InFlight<>(element));
                  channel.basicPublish(
                      message.exchange(),
                      message.routingKey(),
                      true,
                      message.properties(),
                      message.body());
                  pullIfRoom();
                }

                @Override
                public void onUpstreamFinish() {
                  if (inFlight.isEmpty()) {
                    completeStage();
                  }
                }
              });
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  emitConfirmed();
                }
              });
        }

        @Override
        public void preStart() {
          onConfirm = createAsyncCallback(this::confirmed);
          onFailure = createAsyncCallback(this::failStage);
          try {
            open();
            pull(in);
          } catch (Exception e) {
            // an unreachable broker is an ordinary failure of the stream, for its owner to retry
            failStage(e);
          }
        }

        private void open() throws Exception {
          connection = connector.newConnection();
          connection.addShutdownListener(this::lost);
          channel = connection.createChannel();
          declare.run(channel);
          channel.confirmSelect();
          channel.addConfirmListener(
              new ConfirmListener() {
                @Override
                public void handleAck(long deliveryTag, boolean multiple) {
                  onConfirm.invoke(new Confirm(deliveryTag, multiple, true));
                }

                @Override
                public void handleNack(long deliveryTag, boolean multiple) {
                  onConfirm.invoke(new Confirm(deliveryTag, multiple, false));
                }
              });
          channel.addReturnListener(
              (replyCode, replyText, exchange, routingKey, properties, body) ->
                  onFailure.invoke(
                      new PublishRefusedException(
                          "broker could not route message "
                              + messageId(properties)
                              + " to "
                              + exchange
                              + "/"
                              + routingKey
                              + ": "
                              + replyCode
                              + " "
                              + replyText)));
        }

        private void lost(ShutdownSignalException cause) {
          if (!cause.isInitiatedByApplication()) {
            onFailure.invoke(cause);
          }
        }

        private void confirmed(Confirm confirm) {
          Map<Long, InFlight<C>> range =
              confirm.multiple()
                  ? inFlight.headMap(confirm.deliveryTag(), true)
                  : subMapOf(confirm.deliveryTag());
          if (!confirm.ack()) {
            String ids =
                range.values().stream().map(f -> f.element.first().messageId()).toList().toString();
            failStage(new PublishRefusedException("broker nacked messages " + ids));
            return;
          }
          range.values().forEach(f -> f.confirmed = true);
          emitConfirmed();
        }

        private Map<Long, InFlight<C>> subMapOf(long deliveryTag) {
          return inFlight.subMap(deliveryTag, true, deliveryTag, true);
        }

        private void emitConfirmed() {
          if (isAvailable(out)
              && !inFlight.isEmpty()
              && inFlight.firstEntry().getValue().confirmed) {
            push(out, inFlight.pollFirstEntry().getValue().element);
          }
          if (isClosed(in)) {
            if (inFlight.isEmpty()) {
              completeStage();
            }
          } else {
            pullIfRoom();
          }
        }

        private void pullIfRoom() {
          if (inFlight.size() < maxUnconfirmed && !hasBeenPulled(in) && !isClosed(in)) {
            pull(in);
          }
        }

        @Override
        public void postStop() {
          try {
            if (connection != null && connection.isOpen()) {
              connection.close(2_000);
            }
          } catch (Exception ignored) {
            // connection already gone
          }
        }
      };
    }
  }

  private static String messageId(AMQP.BasicProperties properties) {
    return properties == null ? null : properties.getMessageId();
  }

  private record Confirm(long deliveryTag, boolean multiple, boolean ack) {}

  private static final class InFlight<C> {
    final Pair<OutboundMessage, C> element;
    boolean confirmed;

    InFlight(Pair<OutboundMessage, C> element) {
      this.element = element;
    }
  }
}
