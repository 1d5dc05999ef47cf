package org.example.helpdesk.customer.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Rules as a test reads them: {@code given(facts...).when(command).then(facts...)}, {@code
 * .thenNothing()} or {@code .thenRejected(Rejection.class)}, over the pure functions of a decider
 * (the state the facts make, what a command records) and no actor, store or clock.
 *
 * @param <S> the state
 * @param <C> the commands
 * @param <F> the facts
 */
final class GivenWhenThen<S, C, F> {

  private final S initial;
  private final BiFunction<S, C, List<F>> decide;
  private final BiFunction<S, F, S> evolve;

  GivenWhenThen(S initial, BiFunction<S, C, List<F>> decide, BiFunction<S, F, S> evolve) {
    this.initial = initial;
    this.decide = decide;
    this.evolve = evolve;
  }

  @SafeVarargs
  final When given(F... facts) {
    S state = initial;
    for (F fact : facts) {
      state = evolve.apply(state, fact);
    }
    return new When(state);
  }

  final class When {
    private final S state;

    private When(S state) {
      this.state = state;
    }

    Then when(C command) {
      return new Then(state, command);
    }
  }

  final class Then {
    private final S state;
    private final C command;

    private Then(S state, C command) {
      this.state = state;
      this.command = command;
    }

    /** The command records exactly these facts; returns the state after them. */
    @SafeVarargs
    final S then(F... expected) {
      List<F> facts = decided();
      assertEquals(List.of(expected), facts, () -> command + " on " + state);
      S after = state;
      for (F fact : facts) {
        after = evolve.apply(after, fact);
      }
      return after;
    }

    /** The command is accepted and changes nothing. */
    void thenNothing() {
      then();
    }

    /** The rules refuse the command with this rejection; returns it, for its message. */
    <X extends Throwable> X thenRejected(Class<X> rejection) {
      try {
        List<F> facts = decide.apply(state, command);
        return fail(command + " on " + state + " was accepted, recording " + facts);
      } catch (RuntimeException e) {
        return assertInstanceOf(rejection, e, () -> command + " on " + state);
      }
    }

    private List<F> decided() {
      try {
        return decide.apply(state, command);
      } catch (RuntimeException e) {
        throw new AssertionError(command + " on " + state + " was rejected: " + e, e);
      }
    }
  }
}
