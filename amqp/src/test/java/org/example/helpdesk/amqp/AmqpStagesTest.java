package org.example.helpdesk.amqp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two AMQP stages against a real broker. */
class AmqpStagesTest {

  private static ActorSystem system;
  private static AmqpConnector connector;

  private String exchange;
  private String queue;
  private AmqpConnector.ChannelAction declare;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("amqp-stages-test");
    connector = new AmqpConnector(TestBroker.amqpUri(), "amqp-stages-test");
  }

  @AfterAll
  static void stopSystem() {
    TestKit.shutdownActorSystem(system);
  }

  @BeforeEach
  void freshTopology() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    exchange = "test.stages." + suffix;
    queue = "test.stages." + suffix;
    declare =
        channel -> {
          channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, true, false, null);
          channel.queueDeclare(queue, true, false, false, null);
          channel.queueBind(queue, exchange, queue);
        };
  }

  @AfterEach
  void deleteTopology() {
    TestBroker.deleteQueuesAndExchanges(List.of(queue), List.of(exchange));
  }

  @Test
  void emitsEachMessageOnlyAfterTheBrokerConfirmedItInOrderWithItsContext() throws Exception {
    List<Integer> confirmed =
        publish(IntStream.range(0, 300).boxed().toList(), 16)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    assertEquals(IntStream.range(0, 300).boxed().toList(), confirmed);
    // confirmed means the broker holds every one of them
    assertEquals(300, TestBroker.messageCount(queue));
  }

  @Test
  void deliversInPublishOrderAndAckRemovesTheMessages() throws Exception {
    publish(IntStream.range(0, 50).boxed().toList(), 8)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    List<String> bodies =
        AmqpSource.committable(connector, queue, 10, declare)
            // take after the ack: the source (and its channel) may close only once all 50 are acked
            .mapAsync(1, m -> m.ack().thenApply(done -> body(m)))
            .take(50)
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    assertEquals(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList(), bodies);
    awaitMessageCount(0);
  }

  @Test
  void nackWithRequeueDeliversTheMessageAgain() throws Exception {
    publish(List.of(1), 1).toCompletableFuture().get(30, TimeUnit.SECONDS);
    TestSubscriber.Probe<CommittableMessage> probe =
        AmqpSource.committable(connector, queue, 10, declare)
            .runWith(TestSink.probe(system), system);

    CommittableMessage first = probe.requestNext(Duration.ofSeconds(10));
    assertFalse(first.redelivered());
    first.nack(true).toCompletableFuture().get(5, TimeUnit.SECONDS);

    CommittableMessage again = probe.requestNext(Duration.ofSeconds(10));
    assertEquals("m1", body(again));
    assertTrue(again.redelivered());
    again.ack().toCompletableFuture().get(5, TimeUnit.SECONDS);
    probe.cancel();
    awaitMessageCount(0);
  }

  @Test
  void unacknowledgedMessagesComeBackInOrderWhenTheConsumerGoesAway() throws Exception {
    publish(List.of(1, 2, 3), 3).toCompletableFuture().get(30, TimeUnit.SECONDS);
    TestSubscriber.Probe<CommittableMessage> first =
        AmqpSource.committable(connector, queue, 10, declare)
            .runWith(TestSink.probe(system), system);
    first.request(3);
    next(first, 3);
    first.cancel();

    List<CommittableMessage> again =
        AmqpSource.committable(connector, queue, 10, declare)
            .take(3)
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    assertEquals(List.of("m1", "m2", "m3"), again.stream().map(AmqpStagesTest::body).toList());
    assertTrue(again.stream().allMatch(CommittableMessage::redelivered));
  }

  @Test
  void prefetchBoundsTheUnacknowledgedDeliveries() throws Exception {
    publish(IntStream.range(0, 20).boxed().toList(), 20)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    TestSubscriber.Probe<CommittableMessage> probe =
        AmqpSource.committable(connector, queue, 5, declare)
            .runWith(TestSink.probe(system), system);

    probe.request(20);
    List<CommittableMessage> firstFive = next(probe, 5);
    probe.expectNoMessage(Duration.ofMillis(500));

    firstFive.get(0).ack().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals("m5", body(probe.expectNext(Duration.ofSeconds(10))));
    probe.expectNoMessage(Duration.ofMillis(300));
    probe.cancel();
  }

  @Test
  void aMessageTheBrokerCannotRouteFailsTheFlowInsteadOfVanishing() {
    OutboundMessage unroutable =
        new OutboundMessage(exchange, "nobody-listens-here", persistent("x"), "x".getBytes(UTF_8));

    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                Source.single(Pair.create(unroutable, 1))
                    .via(AmqpPublisher.<Integer>confirming(connector, 4, declare).asFlow())
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
    assertInstanceOf(AmqpPublisher.PublishRefusedException.class, failure.getCause());
  }

  @Test
  void bothStagesSurviveABrokerRestart() throws Exception {
    publish(List.of(1, 2), 2).toCompletableFuture().get(30, TimeUnit.SECONDS);
    RestartSettings backoff =
        RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(2), 0.1);
    TestSubscriber.Probe<CommittableMessage> consumer =
        RestartSource.withBackoff(
                backoff, () -> AmqpSource.committable(connector, queue, 10, declare))
            .runWith(TestSink.probe(system), system);
    consumer.request(100);
    // delivered but not acked when the broker goes down: the broker must keep them
    next(consumer, 2);

    TestBroker.restart();

    List<String> afterRestart =
        List.of(
            body(consumer.expectNext(Duration.ofSeconds(60))),
            body(consumer.expectNext(Duration.ofSeconds(10))));
    assertEquals(List.of("m1", "m2"), afterRestart);

    // a fresh publishing flow works against the restarted broker, and the consumer reconnected
    publish(List.of(3), 1).toCompletableFuture().get(30, TimeUnit.SECONDS);
    CommittableMessage third = consumer.expectNext(Duration.ofSeconds(30));
    assertEquals("m3", body(third));
    consumer.cancel();
  }

  @Test
  void aPublishingFlowFailsWhenTheBrokerGoesAwaySoItsOwnerCanRetry() throws Exception {
    var publishing =
        Source.<Pair<OutboundMessage, Integer>>queue(10)
            .via(AmqpPublisher.<Integer>confirming(connector, 4, declare).asFlow())
            .toMat(Sink.seq(), org.apache.pekko.stream.javadsl.Keep.both())
            .run(system);
    publishing.first().offer(Pair.create(message(1), 1));
    try {
      TestBroker.stop();
      CompletionStage<List<Pair<OutboundMessage, Integer>>> result = publishing.second();
      ExecutionException failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> result.toCompletableFuture().get(60, TimeUnit.SECONDS));
      assertTrue(failure.getCause() instanceof Exception);
    } finally {
      TestBroker.start();
    }
  }

  @Test
  void aMessageLargerThanTheConsumerTakesIsHandedOverAloneAndTheNextOnesFlowAsBefore()
      throws Exception {
    // small, small, one of 1 MiB (the consumer takes 64 KiB), small, small
    TestBroker.withChannel(
        channel -> {
          declare.run(channel);
          channel.confirmSelect();
          for (int i = 0; i < 5; i++) {
            byte[] body = i == 2 ? new byte[1 << 20] : ("m" + i).getBytes(UTF_8);
            channel.basicPublish(exchange, queue, true, persistent("id-" + i), body);
          }
          channel.waitForConfirmsOrDie(10_000);
        });

    TestSubscriber.Probe<CommittableMessage> probe =
        AmqpSource.committable(
                connector, queue, new AmqpSource.Settings(10, 64 << 10, 4 << 20), declare)
            .runWith(TestSink.probe(system), system);
    probe.request(10);
    List<Integer> sizes = new java.util.ArrayList<>();
    List<String> ids = new java.util.ArrayList<>();
    while (ids.stream().distinct().count() < 5) {
      CommittableMessage m = probe.expectNext(Duration.ofSeconds(10));
      sizes.add(m.body().length);
      ids.add(m.properties().getMessageId());
      // one delivered on the connection that then refused the large one cannot be acked: it comes
      // again
      m.ack().toCompletableFuture().exceptionally(lost -> null).get();
    }
    // the ones before it may come twice (the connection that refused the large one took them)
    assertEquals(List.of("id-0", "id-1", "id-2", "id-3", "id-4"), ids.stream().distinct().toList());
    assertTrue(sizes.contains(1 << 20), "the large message was handed over: " + sizes);
    probe.cancel();
    awaitMessageCount(0);
  }

  @Test
  void onlyTheLargeMessageIsTakenAloneAndConsumingResumes() throws Exception {
    TestBroker.withChannel(
        channel -> {
          declare.run(channel);
          channel.confirmSelect();
          channel.basicPublish(exchange, queue, true, persistent("large"), new byte[256 << 10]);
          for (int i = 0; i < 200; i++) {
            channel.basicPublish(
                exchange, queue, true, persistent("id-" + i), ("m" + i).getBytes(UTF_8));
          }
          channel.waitForConfirmsOrDie(10_000);
        });

    List<String> ids =
        AmqpSource.committable(
                connector, queue, new AmqpSource.Settings(16, 64 << 10, 1 << 20), declare)
            .mapAsync(4, m -> m.ack().thenApply(done -> m.properties().getMessageId()))
            .take(201)
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertEquals("large", ids.get(0));
    awaitMessageCount(0);
  }

  @Test
  void anExclusiveSourceKeepsASecondOneOffTheQueueUntilItIsGone() throws Exception {
    publish(IntStream.range(0, 3).boxed().toList(), 8)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    AmqpSource.Settings exclusive = new AmqpSource.Settings(10, 64 << 10, 64 << 10, true);
    TestSubscriber.Probe<CommittableMessage> first =
        AmqpSource.committable(connector, queue, exclusive, declare)
            .runWith(TestSink.probe(system), system);
    first.request(10);
    next(first, 3);

    TestSubscriber.Probe<CommittableMessage> second =
        AmqpSource.committable(connector, queue, exclusive, declare)
            .runWith(TestSink.probe(system), system);
    second.request(10);
    // RabbitMQ closes the channel, the embedded Qpid the connection, both with 403 ACCESS_REFUSED:
    // the source names either refusal alike
    Throwable refused = second.expectError();
    assertInstanceOf(QueueInExclusiveUse.class, refused, String.valueOf(refused));
    assertTrue(refused.getMessage().contains(queue), refused.getMessage());
    first.expectNoMessage(Duration.ofMillis(200)); // the refusal leaves the first one consuming

    first.cancel();
    TestSubscriber.Probe<CommittableMessage> third =
        AmqpSource.committable(connector, queue, exclusive, declare)
            .runWith(TestSink.probe(system), system);
    third.request(10);
    assertEquals(
        List.of("m0", "m1", "m2"),
        next(third, 3).stream().map(AmqpStagesTest::body).toList(),
        "the unacked ones come back to the next consumer");
    third.cancel();
  }

  private CompletionStage<List<Integer>> publish(List<Integer> ids, int maxUnconfirmed) {
    return Source.from(ids)
        .map(i -> Pair.create(message(i), i))
        .via(AmqpPublisher.<Integer>confirming(connector, maxUnconfirmed, declare).asFlow())
        .map(Pair::second)
        .runWith(Sink.seq(), system);
  }

  private OutboundMessage message(int i) {
    return new OutboundMessage(exchange, queue, persistent("id-" + i), ("m" + i).getBytes(UTF_8));
  }

  private static AMQP.BasicProperties persistent(String messageId) {
    return new AMQP.BasicProperties.Builder().messageId(messageId).deliveryMode(2).build();
  }

  private static List<CommittableMessage> next(
      TestSubscriber.Probe<CommittableMessage> probe, int n) {
    return IntStream.range(0, n).mapToObj(i -> probe.expectNext(Duration.ofSeconds(10))).toList();
  }

  private static String body(CommittableMessage message) {
    return new String(message.body(), UTF_8);
  }

  private void awaitMessageCount(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (TestBroker.messageCount(queue) != expected) {
      if (System.nanoTime() > deadline) {
        assertEquals(expected, TestBroker.messageCount(queue), "messages left in " + queue);
      }
      Thread.sleep(50);
    }
  }
}
