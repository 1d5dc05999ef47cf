package org.example.helpdesk.platform.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A line logged while a request is handled names the id of its path, even from another thread. */
class RequestLogContextTest {

  static final class Routes extends ApiDirectives {
    Routes() {
      super(1024);
    }

    Route routes() {
      return pathPrefix(
          "tickets",
          () ->
              pathPrefix(
                  PathMatchers.segment(),
                  raw ->
                      uuid(
                          raw,
                          "ticketId",
                          id ->
                              pathEnd(
                                  () ->
                                      get(
                                          () ->
                                              onReply(
                                                  // fails later, on another thread: ApiErrors logs
                                                  // it there
                                                  CompletableFuture.supplyAsync(
                                                      () -> {
                                                        throw new IllegalStateException("boom");
                                                      },
                                                      CompletableFuture.delayedExecutor(
                                                          50, TimeUnit.MILLISECONDS)),
                                                  ok -> complete("never")))))));
    }
  }

  @Test
  void theFailureOfARequestIsLoggedWithItsTicketId() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ApiErrors.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "request-log-context");
    try {
      ServerBinding binding =
          Http.get(system)
              .newServerAt("127.0.0.1", 0)
              .bind(ApiErrors.handled(new Routes().routes()))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      UUID id = UUID.randomUUID();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + binding.localAddress().getPort()
                                  + "/tickets/"
                                  + id))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(500, response.statusCode());
      ILoggingEvent line =
          appender.list.stream()
              .filter(e -> e.getFormattedMessage().contains("Unexpected failure"))
              .findFirst()
              .orElseThrow();
      assertEquals(
          id.toString(),
          line.getMDCPropertyMap().get("ticketId"),
          line.getMDCPropertyMap().toString());
      assertTrue(
          appender.list.stream()
              .allMatch(e -> id.toString().equals(e.getMDCPropertyMap().get("ticketId"))));
    } finally {
      logger.detachAppender(appender);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
