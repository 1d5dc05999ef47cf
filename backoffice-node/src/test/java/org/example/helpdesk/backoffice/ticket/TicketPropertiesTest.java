package org.example.helpdesk.backoffice.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.SerializationSettings;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.Prepared;
import org.example.helpdesk.backoffice.ticket.Ticket.State;
import org.example.helpdesk.backoffice.ticket.Ticket.Status;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAnswered;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAssigned;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasCancelled;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasPrepared;
import org.example.helpdesk.backoffice.ticket.Ticket.Unprepared;
import org.example.helpdesk.backoffice.ticket.TicketEntity.Envelope;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;

/**
 * The rules of the Ticket as properties: random sequences of commands over one to four tickets,
 * interleaved arbitrarily, every command delivered twice in a row, each delivery checked against a
 * small pure reference model (the answer, the events recorded, the state after). A ticket's fate
 * depends only on its own commands, not on how they were interleaved with the others'.
 */
class TicketPropertiesTest {

  private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static ActorTestKit testKit;

  @BeforeContainer
  static void start() {
    testKit =
        ActorTestKit.create(
            EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseResources("backoffice-serialization.conf"))
                .withFallback(
                    ConfigFactory.parseString("pekko.actor.allow-java-serialization = off"))
                // the node's serialization configuration adds to Pekko's (jackson-modules +=)
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
  }

  @AfterContainer
  static void stop() {
    testKit.shutdownTestKit();
  }

  // ---- generated commands -----------------------------------------------------------------------

  /** A command to one of the scenario's tickets (by index). */
  sealed interface Cmd permits Prepare, Cancel, Assign, Reply, Get {
    int ticket();
  }

  record Prepare(int ticket, String ticketType, String description, Ticket.Origin origin)
      implements Cmd {
    @Override
    public String toString() {
      return "Prepare("
          + ticket
          + ", "
          + abbreviated(ticketType)
          + ", "
          + abbreviated(description)
          + ", "
          + origin
          + ")";
    }
  }

  record Cancel(int ticket, Ticket.Origin by) implements Cmd {}

  record Assign(int ticket, String assignee) implements Cmd {
    @Override
    public String toString() {
      return "Assign(" + ticket + ", " + abbreviated(assignee) + ")";
    }
  }

  /** An employee's answer to the customer. */
  record Reply(int ticket, String reply) implements Cmd {
    @Override
    public String toString() {
      return "Reply(" + ticket + ", " + abbreviated(reply) + ")";
    }
  }

  record Get(int ticket) implements Cmd {}

  /** Commands over {@code tickets} tickets, in the order they arrive. */
  record Scenario(int tickets, List<Cmd> commands) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.integers()
        .between(1, 4)
        .flatMap(
            n ->
                command(n)
                    .list()
                    .ofMinSize(2 * n)
                    .ofMaxSize(10 * n)
                    .withSizeDistribution(RandomDistribution.uniform())
                    .map(cs -> new Scenario(n, cs)));
  }

  private static Arbitrary<Cmd> command(int tickets) {
    Arbitrary<Integer> ticket = Arbitraries.integers().between(0, tickets - 1);
    // mostly valid, so that most tickets come to exist and the other rules get their turn
    Arbitrary<String> types =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of("customer-issue", "internal")),
            Tuple.of(1, Arbitraries.of("", "   ", "t".repeat(TicketType.MAX_LENGTH + 1))));
    Arbitrary<String> descriptions =
        Arbitraries.frequencyOf(
                Tuple.of(
                    8,
                    Arbitraries.of(
                        "Printer on fire",
                        "Really important bug!",
                        "line one\nline two",
                        "d".repeat(Description.MAX_LENGTH))),
                Tuple.of(1, Arbitraries.of("d".repeat(Description.MAX_LENGTH + 1))))
            .injectNull(0.05);
    Arbitrary<Ticket.Origin> origins = Arbitraries.of(Ticket.Origin.class);
    Arbitrary<String> assignees =
        Arbitraries.frequencyOf(
                Tuple.of(
                    8,
                    Arbitraries.of(
                        "alice", "bob", "carol", "  alice ", "b".repeat(Assignee.MAX_LENGTH))),
                Tuple.of(2, Arbitraries.of("", "   ", "\t\n", "a".repeat(Assignee.MAX_LENGTH + 1))))
            .injectNull(0.03);
    Arbitrary<String> replies =
        Arbitraries.frequencyOf(
                Tuple.of(
                    8,
                    // two, so that the same reply again (not a duplicate delivery) comes often
                    Arbitraries.of("Thanks, we are on it.", "r".repeat(SupportReply.MAX_LENGTH))),
                Tuple.of(2, Arbitraries.of("", "   ", "r".repeat(SupportReply.MAX_LENGTH + 1))))
            .injectNull(0.03);
    return Arbitraries.frequencyOf(
        Tuple.of(4, Combinators.combine(ticket, types, descriptions, origins).as(Prepare::new)),
        Tuple.of(1, Combinators.combine(ticket, origins).as(Cancel::new)),
        Tuple.of(4, Combinators.combine(ticket, assignees).as(Assign::new)),
        Tuple.of(2, Combinators.combine(ticket, replies).as(Reply::new)),
        Tuple.of(1, ticket.map(Get::new)));
  }

  // ---- the reference model ----------------------------------------------------------------------

  /** How the entity answers. */
  enum Answer {
    OK,
    NOT_FOUND,
    CONFLICT,
    INVALID
  }

  /** A ticket as the model sees it; {@code prepared == false} is a ticket that does not exist. */
  record Model(
      boolean prepared,
      String ticketType,
      String description,
      Status status,
      String assignee,
      Ticket.Origin origin,
      String assignedBy,
      String cancelledBy,
      String lastReply) {
    static final Model NONE = new Model(false, null, null, null, null, null, null, null, null);

    @Override
    public String toString() {
      return prepared
          ? status
              + " "
              + abbreviated(ticketType)
              + "/"
              + abbreviated(description)
              + " assignee "
              + abbreviated(assignee)
          : "no ticket";
    }
  }

  /** What a command does to a ticket by the rules: the answer, the events, the ticket after. */
  record Step(Answer answer, List<Event> events, Model after) {}

  static Step apply(Model t, Cmd cmd, UUID id) {
    // a command cannot hold an invalid value: it never reaches the ticket, whatever its state
    if (cmd instanceof Prepare p && !validPrepare(p)
        || cmd instanceof Assign a && !validAssignee(a.assignee())
        || cmd instanceof Reply r && !validReply(r.reply())) {
      return new Step(Answer.INVALID, List.of(), t);
    }
    if (cmd instanceof Prepare p) {
      if (t.prepared()) {
        // the same preparation again is what the sender wanted; another one is no merge
        boolean same =
            t.ticketType().equals(p.ticketType())
                && t.description().equals(p.description())
                && t.origin() == p.origin();
        return new Step(same ? Answer.OK : Answer.CONFLICT, List.of(), t);
      }
      return new Step(
          Answer.OK,
          List.of(
              new TicketWasPrepared(
                  id,
                  new TicketType(p.ticketType()),
                  new Description(p.description()),
                  NOW,
                  p.origin())),
          new Model(
              true,
              p.ticketType(),
              p.description(),
              Status.AWAITING,
              null,
              p.origin(),
              null,
              null,
              null));
    }
    if (!t.prepared()) {
      return new Step(Answer.NOT_FOUND, List.of(), t);
    }
    if (cmd instanceof Get) {
      return new Step(Answer.OK, List.of(), t);
    }
    if (cmd instanceof Cancel c) {
      if (c.by() == Ticket.Origin.CUSTOMER_SERVICE
          && t.origin() != Ticket.Origin.CUSTOMER_SERVICE) {
        return new Step(Answer.CONFLICT, List.of(), t); // not the customer service's ticket
      }
      if (t.status() == Status.CANCELLED) {
        return new Step(Answer.OK, List.of(), t);
      }
      String by = c.by() == Ticket.Origin.CUSTOMER_SERVICE ? Ticket.CUSTOMER_SERVICE : "carol";
      return new Step(
          Answer.OK,
          List.of(new TicketWasCancelled(id, NOW, by)),
          new Model(
              true,
              t.ticketType(),
              t.description(),
              Status.CANCELLED,
              t.assignee(),
              t.origin(),
              t.assignedBy(),
              by,
              t.lastReply()));
    }
    if (cmd instanceof Reply r) {
      // only a customer's ticket has someone to answer, and not once cancelled
      if (t.origin() != Ticket.Origin.CUSTOMER_SERVICE || t.status() == Status.CANCELLED) {
        return new Step(Answer.CONFLICT, List.of(), t);
      }
      if (r.reply().equals(t.lastReply())) {
        return new Step(Answer.OK, List.of(), t);
      }
      return new Step(
          Answer.OK,
          List.of(new TicketWasAnswered(id, new SupportReply(r.reply()), NOW, "carol")),
          new Model(
              true,
              t.ticketType(),
              t.description(),
              t.status(),
              t.assignee(),
              t.origin(),
              t.assignedBy(),
              t.cancelledBy(),
              r.reply()));
    }
    Assign a = (Assign) cmd;
    if (t.status() == Status.CANCELLED) {
      return new Step(Answer.CONFLICT, List.of(), t);
    }
    String assignee = a.assignee().strip();
    if (assignee.equals(t.assignee())) {
      return new Step(Answer.OK, List.of(), t);
    }
    return new Step(
        Answer.OK,
        List.of(new TicketWasAssigned(id, new Assignee(assignee), NOW, "carol")),
        new Model(
            true,
            t.ticketType(),
            t.description(),
            Status.ASSIGNED,
            assignee,
            t.origin(),
            "carol",
            t.cancelledBy(),
            t.lastReply()));
  }

  private static boolean validPrepare(Prepare p) {
    return p.ticketType() != null
        && !p.ticketType().isBlank()
        && p.ticketType().length() <= TicketType.MAX_LENGTH
        && p.description() != null
        && p.description().length() <= Description.MAX_LENGTH;
  }

  private static boolean validReply(String reply) {
    return reply != null && !reply.isBlank() && reply.length() <= SupportReply.MAX_LENGTH;
  }

  private static boolean validAssignee(String assignee) {
    return assignee != null && !assignee.isBlank() && assignee.length() <= Assignee.MAX_LENGTH;
  }

  // ---- properties -------------------------------------------------------------------------------

  /**
   * Every delivery, original and duplicate, answers and records what the model says; a duplicate
   * records nothing and answers as the original did; at the end each ticket is the model's.
   */
  // 800 tries: the rarest answers (a cancel of a cancelled ticket, the same reply again: about
  // 0.2-0.35 % of the commands since replies joined them) then come 25-40 times each, so the
  // coverage check below (at least 10 each) does not fail by chance; with a quarter of that it
  // did, about one run in 25
  @Property(tries = 800)
  void everyTicketFollowsTheRulesAndDuplicatesChangeNothing(
      @ForAll("scenarios") Scenario scenario) {
    Map<Integer, List<String>> traces = run(scenario.commands(), scenario.tickets(), true);

    Statistics.label("tickets").collect(scenario.tickets());
    Statistics.label("commands per ticket")
        .collect(Math.round((double) scenario.commands().size() / scenario.tickets()));
    for (List<String> trace : traces.values()) {
      Statistics.label("a ticket ends").collect(trace.get(trace.size() - 1).split(" ")[1]);
    }
    // every rule gets its turn
    Statistics.label("answers")
        .coverage(
            c -> {
              for (String rule :
                  List.of(
                      "Prepare -> OK TicketWasPrepared",
                      "Prepare -> OK",
                      "Prepare -> INVALID",
                      "Cancel -> NOT_FOUND",
                      "Cancel -> OK TicketWasCancelled",
                      "Cancel -> OK",
                      "Assign -> NOT_FOUND",
                      "Assign -> CONFLICT",
                      "Assign -> INVALID",
                      "Assign -> OK TicketWasAssigned",
                      "Assign -> OK",
                      "Reply -> NOT_FOUND",
                      "Reply -> CONFLICT",
                      "Reply -> INVALID",
                      "Reply -> OK TicketWasAnswered",
                      "Reply -> OK",
                      "Get -> OK",
                      "Get -> NOT_FOUND")) {
                c.check(rule).count(n -> n >= 10);
              }
            });
  }

  /**
   * The same commands in another interleaving (each ticket's own commands still in their order)
   * give every ticket the same answers, events and final state: tickets do not affect each other.
   */
  @Property(tries = 100) // each try runs its commands three times over: 300 runs
  void aTicketsFateDependsOnlyOnItsOwnCommands(
      @ForAll("scenarios") Scenario scenario, @ForAll Random random) {
    List<Cmd> other = reinterleave(scenario.commands(), scenario.tickets(), random);

    // one ticket after the other: each ticket's own subsequence, with no other ticket's in between
    List<Cmd> oneAfterTheOther =
        scenario.commands().stream()
            .sorted(java.util.Comparator.comparingInt(Cmd::ticket))
            .toList();

    Map<Integer, List<String>> original = run(scenario.commands(), scenario.tickets(), false);
    Map<Integer, List<String>> reordered = run(other, scenario.tickets(), false);
    Map<Integer, List<String>> alone = run(oneAfterTheOther, scenario.tickets(), false);

    assertEquals(
        original,
        reordered,
        () -> "interleaved as\n  " + scenario.commands() + "\nand as\n  " + other);
    assertEquals(
        original,
        alone,
        () -> "interleaved as\n  " + scenario.commands() + "\nand one ticket after the other");
  }

  // ---- running commands against the real entity -------------------------------------------------

  /**
   * Delivers every command twice in a row to fresh entities (one per ticket), checking each
   * delivery against the model. Returns, per ticket, a trace of what happened to it (without its
   * id), ending with its final state.
   */
  private static Map<Integer, List<String>> run(
      List<Cmd> commands, int tickets, boolean verifySerialization) {
    SerializationSettings serialization =
        verifySerialization
            ? EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true)
            : EventSourcedBehaviorTestKit.disabledSerializationSettings();
    List<UUID> ids = IntStream.range(0, tickets).mapToObj(i -> UUID.randomUUID()).toList();
    // an entity per ticket, created when its first command comes
    Map<Integer, EventSourcedBehaviorTestKit<Envelope, Recorded<Event>, State>> kits =
        new LinkedHashMap<>();
    List<Model> models =
        new ArrayList<>(IntStream.range(0, tickets).mapToObj(i -> Model.NONE).toList());
    Map<Integer, List<String>> traces = new LinkedHashMap<>();
    IntStream.range(0, tickets).forEach(i -> traces.put(i, new ArrayList<>()));

    for (int n = 0; n < commands.size(); n++) {
      Cmd cmd = commands.get(n);
      int t = cmd.ticket();
      UUID id = ids.get(t);
      StatusReply<TicketView> first = null;
      for (int delivery = 1; delivery <= 2; delivery++) {
        String where = "command " + n + " " + cmd + ", delivery " + delivery;
        Step expected = apply(models.get(t), cmd, id);
        EventSourcedBehaviorTestKit<Envelope, Recorded<Event>, State> kit =
            kits.computeIfAbsent(
                t,
                i ->
                    EventSourcedBehaviorTestKit.create(
                        testKit.system(), TicketEntity.create(id, CLOCK), serialization));
        Delivered result = deliver(kit, cmd);

        assertEquals(
            expected.answer(), answerOf(result.reply()), () -> where + ": " + result.reply());
        assertEquals(
            expected.events(),
            result.events(),
            () ->
                where
                    + " (entity state "
                    + kit.getState()
                    + ", journal "
                    + kit.persistenceTestKit().persistedInStorage("Ticket|" + id)
                    + ")");
        if (expected.answer() == Answer.OK) {
          assertEquals(details(id, expected.after()), result.reply().getValue(), where);
        }
        if (delivery == 2) {
          assertTrue(
              result.hasNoEvents(),
              () -> where + ": a duplicate must record nothing, recorded " + result.events());
          assertSameAnswer(first, result.reply(), where);
        }
        first = result.reply();
        models.set(t, expected.after());
        traces
            .get(t)
            .add(cmd + " -> " + expected.answer() + " recorded " + withoutId(result.events()));
        if (verifySerialization && delivery == 1) {
          Statistics.label("answers")
              .collect(
                  cmd.getClass().getSimpleName()
                      + " -> "
                      + expected.answer()
                      + (expected.events().isEmpty()
                          ? ""
                          : " " + expected.events().get(0).getClass().getSimpleName()));
        }
      }
    }

    for (int t = 0; t < tickets; t++) {
      State state = kits.containsKey(t) ? kits.get(t).getState() : new Unprepared();
      Model model = models.get(t);
      if (!model.prepared()) {
        assertInstanceOf(Unprepared.class, state, "ticket " + t);
      } else {
        Prepared p = assertInstanceOf(Prepared.class, state, "ticket " + t);
        assertEquals(model.status(), p.ticket().status(), "status of ticket " + t);
        assertEquals(
            model.assignee(),
            p.ticket().assignee() == null ? null : p.ticket().assignee().value(),
            "assignee of ticket " + t);
        assertEquals(details(ids.get(t), model), p.ticket(), "ticket " + t);
        assertEquals(
            model.lastReply(),
            p.lastReply() == null ? null : p.lastReply().value(),
            "last reply of ticket " + t);
      }
      traces.get(t).add("final " + model);
    }
    return traces;
  }

  /** What a delivery came to: the reply, and the events the entity recorded. */
  record Delivered(StatusReply<TicketView> reply, List<Event> events) {
    boolean hasNoEvents() {
      return events.isEmpty();
    }
  }

  /** Delivers a command, if it can be made: one of invalid values is refused before the ticket. */
  private static Delivered deliver(
      EventSourcedBehaviorTestKit<Envelope, Recorded<Event>, State> kit, Cmd cmd) {
    CommandResultWithReply<Envelope, Recorded<Event>, State, StatusReply<TicketView>> result;
    try {
      result = run(kit, cmd);
    } catch (InvalidValueException | NullPointerException e) {
      return new Delivered(StatusReply.error(e), List.of());
    }
    return new Delivered(result.reply(), result.events().stream().map(Recorded::event).toList());
  }

  private static CommandResultWithReply<Envelope, Recorded<Event>, State, StatusReply<TicketView>>
      run(EventSourcedBehaviorTestKit<Envelope, Recorded<Event>, State> kit, Cmd cmd) {
    if (cmd instanceof Prepare p) {
      TicketType type = new TicketType(p.ticketType());
      Description description = new Description(p.description());
      return kit.runCommand(
          r -> new Envelope(new Ticket.Prepare(type, description, p.origin()), null, r));
    }
    if (cmd instanceof Cancel c) {
      return kit.runCommand(
          r ->
              new Envelope(
                  new Ticket.Cancel(
                      c.by(), c.by() == Ticket.Origin.CUSTOMER_SERVICE ? null : "carol"),
                  null,
                  r));
    }
    if (cmd instanceof Assign a) {
      Assignee assignee = new Assignee(a.assignee());
      return kit.runCommand(r -> new Envelope(new Ticket.Assign(assignee, "carol"), null, r));
    }
    if (cmd instanceof Reply a) {
      SupportReply reply = new SupportReply(a.reply());
      return kit.runCommand(r -> new Envelope(new Ticket.Answer("carol", reply), null, r));
    }
    return kit.runCommand(r -> new Envelope(new Ticket.Get(), null, r));
  }

  private static Answer answerOf(StatusReply<TicketView> reply) {
    if (reply.isSuccess()) {
      return Answer.OK;
    }
    Throwable e = reply.getError();
    if (e instanceof NotFoundException) {
      return Answer.NOT_FOUND;
    }
    if (e instanceof ConflictException) {
      return Answer.CONFLICT;
    }
    if (e instanceof InvalidValueException || e instanceof NullPointerException) {
      return Answer.INVALID; // the command could not be made
    }
    throw new AssertionError("an answer the rules do not know: " + reply, e);
  }

  private static void assertSameAnswer(
      StatusReply<TicketView> original, StatusReply<TicketView> duplicate, String where) {
    assertEquals(original.isSuccess(), duplicate.isSuccess(), where);
    if (original.isSuccess()) {
      assertEquals(
          original.getValue(),
          duplicate.getValue(),
          () -> where + ": a duplicate answers as the original did");
    } else {
      // (a rejection is the same answer when it is of the same kind and says the same)
      assertEquals(
          original.getError().getClass(),
          duplicate.getError().getClass(),
          () -> where + ": a duplicate is refused as the original was");
      assertEquals(
          original.getError().getMessage(),
          duplicate.getError().getMessage(),
          () -> where + ": a duplicate is refused as the original was");
    }
  }

  private static TicketView details(UUID id, Model m) {
    return new TicketView(
        id,
        new TicketType(m.ticketType()),
        new Description(m.description()),
        m.status(),
        m.assignee() == null ? null : new Assignee(m.assignee()),
        NOW,
        NOW,
        m.assignedBy(),
        m.cancelledBy());
  }

  private static List<String> withoutId(List<Event> events) {
    return events.stream()
        .map(
            e -> {
              if (e instanceof TicketWasPrepared p) {
                return "TicketWasPrepared("
                    + p.ticketType()
                    + ", "
                    + p.description().value().length()
                    + " chars)";
              }
              if (e instanceof TicketWasAssigned a) {
                return "TicketWasAssigned(" + a.assignee() + ")";
              }
              if (e instanceof TicketWasAnswered a) {
                return "TicketWasAnswered(" + a.reply().value().length() + " chars)";
              }
              return e.getClass().getSimpleName();
            })
        .toList();
  }

  private static String abbreviated(String s) {
    return s == null
        ? "null"
        : s.length() > 20
            ? "'" + s.substring(0, 8) + "...' (" + s.length() + " chars)"
            : "'" + s + "'";
  }

  /** Another interleaving of the same commands: each ticket's commands keep their order. */
  private static List<Cmd> reinterleave(List<Cmd> commands, int tickets, Random random) {
    List<List<Cmd>> queues = new ArrayList<>();
    for (int t = 0; t < tickets; t++) {
      int ticket = t;
      queues.add(new ArrayList<>(commands.stream().filter(c -> c.ticket() == ticket).toList()));
    }
    List<Cmd> merged = new ArrayList<>();
    while (merged.size() < commands.size()) {
      List<List<Cmd>> left = queues.stream().filter(q -> !q.isEmpty()).toList();
      merged.add(left.get(random.nextInt(left.size())).remove(0));
    }
    return merged;
  }
}
