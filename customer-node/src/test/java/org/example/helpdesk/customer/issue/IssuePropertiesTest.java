package org.example.helpdesk.customer.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.apache.pekko.persistence.testkit.PersistenceTestKitDurableStateStorePlugin;
import org.apache.pekko.persistence.testkit.state.javadsl.PersistenceTestKitDurableStateStore;
import org.example.helpdesk.customer.issue.Issue.IssueWasClosed;
import org.example.helpdesk.customer.issue.Issue.IssueWasReported;
import org.example.helpdesk.customer.issue.Issue.Reported;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.Status;
import org.example.helpdesk.customer.issue.Issue.Summary;
import org.example.helpdesk.customer.issue.StoredIssue.Entry;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.TraceContext;
import org.example.helpdesk.testsupport.MovableClock;

/**
 * The rules of the Issue as properties: random sequences of commands over up to four issues, each
 * delivered twice in a row, checked after every delivery against a small reference model (reply,
 * stored document and revision: a write exactly when the model says the state changed).
 */
class IssuePropertiesTest {

  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

  /** The trace context every command comes with, which its facts keep. */
  private static final TraceContext TRACE =
      TraceContext.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

  /** The time the entities see; each delivery moves it one second on. */
  private static final MovableClock clock = new MovableClock(T0);

  private static ActorTestKit testKit;

  @BeforeContainer
  static void start() {
    testKit =
        ActorTestKit.create(
            ConfigFactory.load( // (resolved: it appends to Pekko's list of Jackson modules)
                PersistenceTestKitDurableStateStorePlugin.config()
                    .withFallback(ConfigFactory.parseResources("customer-serialization.conf"))
                    .withFallback(
                        ConfigFactory.parseString("pekko.actor.allow-java-serialization = off"))));
  }

  @AfterContainer
  static void stop() {
    testKit.shutdownTestKit();
  }

  // ---- generated commands ---------------------------------------------------------------------

  /** A command to one of the scenario's issues (by index). */
  sealed interface Cmd permits Report, Close, Get {
    int issue();
  }

  /** {@code email} is the raw text (null for none), made an {@link Email} on delivery. */
  record Report(int issue, String email, String content) implements Cmd {}

  record Close(int issue) implements Cmd {}

  record Get(int issue) implements Cmd {}

  record Scenario(int issues, List<Cmd> commands) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.integers()
        .between(1, 4)
        .flatMap(
            n ->
                commands(n)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(30)
                    .map(commands -> new Scenario(n, commands)));
  }

  private static Arbitrary<Cmd> commands(int issues) {
    Arbitrary<Integer> issue = Arbitraries.integers().between(0, issues - 1);
    // " jane@example.com " is the same address as "jane@example.com" (Email.of strips)
    Arbitrary<String> emails =
        Arbitraries.of("jane@example.com", " jane@example.com ", "john@example.com")
            .injectNull(0.05);
    Arbitrary<String> contents =
        Arbitraries.frequencyOf(
            Tuple.of(
                6,
                Arbitraries.of(
                    "bug", "line one\nline two\tindented", "x".repeat(IssueContent.MAX_LENGTH))),
            Tuple.of(
                3,
                Arbitraries.of(
                    "",
                    "   ",
                    "\t\n",
                    "bell\u0007",
                    "nul\u0000",
                    "esc\u001b[0m",
                    "del\u007f",
                    "x".repeat(IssueContent.MAX_LENGTH + 1))));
    return Arbitraries.frequencyOf(
        Tuple.of(4, Combinators.combine(issue, emails, contents).as(Report::new)),
        Tuple.of(2, issue.map(Close::new)),
        Tuple.of(1, issue.map(Get::new)));
  }

  // ---- the property ---------------------------------------------------------------------------

  @Property(tries = 200)
  void everyCommandDeliveredTwiceFollowsTheRules(@ForAll("scenarios") Scenario scenario) {
    clock.set(T0);
    List<UUID> ids = new ArrayList<>();
    List<ActorRef<IssueEntity.Message>> issues = new ArrayList<>();
    List<Model> models = new ArrayList<>();
    for (int i = 0; i < scenario.issues(); i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      issues.add(testKit.spawn(IssueEntity.create(id, clock)));
      models.add(new Model(id));
    }
    Probes probes = new Probes();
    List<String> history = new ArrayList<>();
    try {
      for (Cmd cmd : scenario.commands()) {
        for (int delivery = 1; delivery <= 2; delivery++) {
          clock.advance(Duration.ofSeconds(1));
          history.add(delivery == 1 ? cmd.toString() : "  again");
          String context = "after " + String.join(" / ", history);
          Model model = models.get(cmd.issue());
          Expected expected = model.apply(cmd, clock.instant());
          Object reply = deliver(issues.get(cmd.issue()), cmd, probes);
          Statistics.label("reply").collect(expected.kind());
          Statistics.label("wrote").collect(expected.writes());
          assertReply(expected, reply, context);
          for (int i = 0; i < ids.size(); i++) {
            assertStored(models.get(i), context);
          }
        }
      }
      // a fresh incarnation of each issue recovers what was stored
      for (int i = 0; i < ids.size(); i++) {
        testKit.stop(issues.get(i), Duration.ofSeconds(5));
        ActorRef<IssueEntity.Message> recovered =
            testKit.spawn(IssueEntity.create(ids.get(i), clock));
        issues.set(i, recovered);
        Model model = models.get(i);
        Expected expected = model.apply(new Get(i), clock.instant());
        assertReply(
            expected,
            deliver(recovered, new Get(i), probes),
            "after a restart, " + String.join(" / ", history));
      }
    } finally {
      issues.forEach(issue -> testKit.stop(issue, Duration.ofSeconds(5)));
    }
    Statistics.label("reply")
        .coverage(
            coverage -> {
              for (String kind :
                  List.of(
                      "reported",
                      "reported again",
                      "summary",
                      "ConflictException",
                      "InvalidValueException",
                      "NotFoundException")) {
                coverage.check(kind).count(c -> c > 0);
              }
            });
    Statistics.label("wrote").coverage(coverage -> coverage.check(true).count(c -> c > 0));
  }

  // ---- the reference model --------------------------------------------------------------------

  /** What a delivery must answer, and whether it must write. */
  record Expected(
      String kind,
      Object value,
      Class<? extends Throwable> rejection,
      String message,
      boolean writes) {
    static Expected success(String kind, Object value, boolean writes) {
      return new Expected(kind, value, null, null, writes);
    }

    static Expected rejected(Class<? extends Throwable> rejection, String message) {
      return new Expected(rejection.getSimpleName(), null, rejection, message, false);
    }
  }

  /** One issue as the rules say it must be. Pure: no actor, no store. */
  static final class Model {
    final UUID id;
    boolean exists;
    Email email;
    String content;
    boolean closed;
    Instant reportedAt;
    Instant closedAt;
    List<Entry> outbox = new ArrayList<>();
    long lastEntryNumber;
    long writes;

    Model(UUID id) {
      this.id = id;
    }

    Expected apply(Cmd cmd, Instant at) {
      if (cmd instanceof Report r) {
        return report(r.email() == null ? null : Email.of(r.email()), r.content(), at);
      }
      if (cmd instanceof Close) {
        return close(at);
      }
      return exists ? Expected.success("summary", summary(), false) : notFound();
    }

    private Expected report(Email newEmail, String newContent, Instant at) {
      // a command cannot hold invalid content or no e-mail: such a report never reaches the issue,
      // whether it exists or not (the content is checked first, as the API does)
      String problem = problemWithContent(newContent);
      if (problem != null) {
        return Expected.rejected(InvalidValueException.class, problem);
      }
      if (newEmail == null) {
        return Expected.rejected(NullPointerException.class, "email is required");
      }
      if (exists) {
        // the first report decides; a report again must be exactly the same
        if (email.equals(newEmail) && content.equals(newContent)) {
          return Expected.success("reported again", new Reported(summary(), false), false);
        }
        return Expected.rejected(
            ConflictException.class, "issue " + id + " was already reported with different data");
      }
      exists = true;
      email = newEmail;
      content = newContent;
      reportedAt = at;
      outbox.add(
          new Entry(
              1, new IssueWasReported(id, newEmail, new IssueContent(newContent), at), TRACE));
      lastEntryNumber = 1;
      writes++;
      return Expected.success("reported", new Reported(summary(), true), true);
    }

    private Expected close(Instant at) {
      if (!exists) {
        return notFound();
      }
      if (closed) {
        return Expected.success("summary", summary(), false);
      }
      closed = true;
      closedAt = at;
      lastEntryNumber++;
      outbox.add(new Entry(lastEntryNumber, new IssueWasClosed(at), TRACE));
      writes++;
      return Expected.success("summary", summary(), true);
    }

    private Expected notFound() {
      return Expected.rejected(NotFoundException.class, "issue " + id + " does not exist");
    }

    Summary summary() {
      return new Summary(
          id,
          email,
          new IssueContent(content),
          closed ? Status.CLOSED : Status.OPEN,
          reportedAt,
          closedAt,
          Issue.Progress.REPORTED);
    }

    /**
     * The rules for content, written down again: not blank, at most 10,000, no control characters
     * but tab and line breaks.
     */
    private static String problemWithContent(String content) {
      if (content.isBlank()) {
        return "content must not be blank";
      }
      if (content.length() > 10_000) {
        return "content must be at most 10000 characters";
      }
      if (content
          .chars()
          .anyMatch(
              c -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c <= 0x9f))) {
        return "content must not contain control characters";
      }
      return null;
    }
  }

  // ---- delivering and checking ----------------------------------------------------------------

  /** One probe per kind of reply, reused for every delivery of a try. */
  private static final class Probes {
    final TestProbe<StatusReply<Reported>> reported = testKit.createTestProbe();
    final TestProbe<StatusReply<Summary>> summary = testKit.createTestProbe();
  }

  private static StatusReply<?> deliver(
      ActorRef<IssueEntity.Message> issue, Cmd cmd, Probes probes) {
    if (cmd instanceof Report r) {
      IssueEntity.Envelope report;
      try {
        report =
            new IssueEntity.Envelope(
                new Issue.ReportIssue(
                    r.email() == null ? null : Email.of(r.email()), new IssueContent(r.content())),
                TRACE,
                probes.reported.getRef());
      } catch (InvalidValueException | NullPointerException e) {
        return StatusReply.error(e); // the command cannot be made: the issue never hears of it
      }
      issue.tell(report);
      return probes.reported.receiveMessage();
    }
    if (cmd instanceof Close) {
      issue.tell(new IssueEntity.Envelope(new Issue.CloseIssue(), TRACE, probes.reported.getRef()));
      StatusReply<Reported> reply = probes.reported.receiveMessage();
      return reply.isError()
          ? StatusReply.error(reply.getError())
          : StatusReply.success(reply.getValue().issue());
    }
    issue.tell(new IssueEntity.Get(probes.summary.getRef()));
    return probes.summary.receiveMessage();
  }

  private static void assertReply(Expected expected, Object reply, String context) {
    StatusReply<?> status = (StatusReply<?>) reply;
    if (expected.rejection() != null) {
      assertTrue(
          status.isError(),
          () -> "expected " + expected.kind() + " but got " + status + ", " + context);
      assertEquals(expected.rejection(), status.getError().getClass(), context);
      assertEquals(expected.message(), status.getError().getMessage(), context);
    } else {
      assertTrue(
          status.isSuccess(),
          () -> "expected " + expected.kind() + " but got " + status + ", " + context);
      assertEquals(expected.value(), status.getValue(), context);
    }
  }

  private static void assertStored(Model model, String context) {
    GetObjectResult<Object> stored =
        store().getObject("Issue|" + model.id).toCompletableFuture().join();
    assertEquals(
        model.writes,
        stored.revision(),
        () -> "revision of " + model.id + " (one per write), " + context);
    if (!model.exists) {
      assertEquals(Optional.empty(), stored.value(), context);
      return;
    }
    StoredIssue expected =
        new StoredIssue(
            new ReportedIssue(
                model.id,
                model.email,
                new IssueContent(model.content),
                model.closed ? Status.CLOSED : Status.OPEN,
                model.reportedAt,
                model.closedAt,
                Issue.Progress.REPORTED,
                0),
            model.outbox,
            model.lastEntryNumber);
    assertEquals(
        Optional.of(expected), stored.value(), () -> "stored " + model.id + ", " + context);
    StoredIssue actual = (StoredIssue) stored.value().orElseThrow();
    // entry numbers are never reused: they only grow, and the newest is never above lastEntryNumber
    List<Long> numbers = actual.outbox().stream().map(Entry::number).toList();
    assertEquals(numbers.stream().sorted().distinct().toList(), numbers, context);
    assertFalse(numbers.stream().anyMatch(n -> n < 1 || n > actual.lastEntryNumber()), context);
  }

  @SuppressWarnings("unchecked")
  private static PersistenceTestKitDurableStateStore<Object> store() {
    return DurableStateStoreRegistry.get(testKit.system())
        .getDurableStateStoreFor(
            PersistenceTestKitDurableStateStore.class,
            PersistenceTestKitDurableStateStorePlugin.PluginId());
  }
}
