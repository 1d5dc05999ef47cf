package org.example.helpdesk.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Password checks never queue without bound: guesses from many addresses, each within its own
 * budget, that would all need a (deliberately slow) password check at once get an immediate 503
 * with {@code Retry-After} once the one check thread and its one waiting place are taken, and an
 * employee whose credentials were verified before works on meanwhile.
 */
class PasswordCheckQueueTest {

  private static final String SLOW = "slow";
  private static final String SLOW_PASSWORD = "the-slow-password";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.auth.employees",
                  TestEmployees.ENTRIES
                      + " "
                      + SLOW
                      + ":agent:"
                      // cost 12: about a quarter of a second per check
                      + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(12)
                          .encode(SLOW_PASSWORD),
                  "helpdesk.auth.password-check-threads",
                  1,
                  "helpdesk.auth.password-check-queue",
                  1)));

  @Test
  void guessesBeyondTheCheckQueueAreAnsweredAtOnceWith503() throws Exception {
    String agent = HttpTestClient.basic(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    assertEquals(
        200,
        FromAddress.send("127.0.1.1", node.port(), "GET", "/tickets", "Authorization", agent)
            .status());
    int burst = 30;
    ExecutorService pool = Executors.newFixedThreadPool(burst + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<FromAddress.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      String from = "127.0.2." + (i + 1); // each address within its own budget
      replies.add(
          pool.submit(
              () -> {
                go.await();
                return FromAddress.send(
                    from,
                    node.port(),
                    "GET",
                    "/tickets",
                    "Authorization",
                    HttpTestClient.basic(SLOW, "a wrong guess"));
              }));
    }
    Future<Integer> agentMeanwhile =
        pool.submit(
            () -> {
              go.await();
              return FromAddress.send(
                      "127.0.1.1", node.port(), "GET", "/tickets", "Authorization", agent)
                  .status();
            });
    long start = System.nanoTime();
    go.countDown();
    assertEquals(200, agentMeanwhile.get(), "cached credentials do not wait for the checks");
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<FromAddress.Reply> r : replies) {
      FromAddress.Reply reply = r.get();
      statuses.merge(reply.status(), 1, Integer::sum);
      if (reply.status() == 503) {
        assertTrue(reply.header("Retry-After") != null, reply::toString);
      }
    }
    pool.shutdown();
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(
        "[PasswordCheckQueueTest] " + burst + " guesses: " + statuses + " in " + millis + " ms");
    assertTrue(statuses.getOrDefault(503, 0) > 0, "some were refused at once: " + statuses);
    assertEquals(
        burst, statuses.getOrDefault(401, 0) + statuses.getOrDefault(503, 0), statuses::toString);
    assertTrue(statuses.getOrDefault(401, 0) <= 10, "few checks ran: " + statuses);
  }
}
