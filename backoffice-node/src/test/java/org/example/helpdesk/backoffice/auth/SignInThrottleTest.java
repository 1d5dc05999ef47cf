package org.example.helpdesk.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.example.helpdesk.testsupport.MovableClock;
import org.junit.jupiter.api.Test;

/** Failed sign-ins: free a few times, then a wait that doubles, per account and per address. */
class SignInThrottleTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-05T09:00:00Z"));
  private final SignInThrottle throttle =
      new SignInThrottle(3, 5, Duration.ofSeconds(1), Duration.ofSeconds(4), clock);

  @Test
  void anAccountWaitsAfterItsFreeFailuresLongerEachTime() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("adam", "10.0.0.1");
      assertEquals(Optional.empty(), throttle.wait("adam", "10.0.0.1"));
    }
    throttle.failed("adam", "10.0.0.1");
    assertEquals(
        Optional.of(Duration.ofSeconds(1)),
        throttle.wait("adam", "10.0.0.2"),
        "the account, from any address");
    assertEquals(
        Optional.empty(),
        throttle.wait("olivia", "10.0.0.2"),
        "another account from another address");

    clock.advance(Duration.ofSeconds(1));
    throttle.failed("adam", "10.0.0.2");
    assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.wait("adam", "10.0.0.2"));
    clock.advance(Duration.ofSeconds(2));
    throttle.failed("adam", "10.0.0.2");
    throttle.failed("adam", "10.0.0.2");
    assertEquals(
        Optional.of(Duration.ofSeconds(4)), throttle.wait("adam", "10.0.0.2"), "up to the maximum");
  }

  @Test
  void anAddressWaitsAfterMoreFailuresOverAnyAccounts() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("guess" + i, "10.0.0.9");
    }
    assertEquals(Optional.empty(), throttle.wait("olivia", "10.0.0.9"));
    throttle.failed("guess5", "10.0.0.9");
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("olivia", "10.0.0.9"));
    assertEquals(Optional.empty(), throttle.wait("olivia", "10.0.0.1"));
  }

  @Test
  void aSuccessClearsTheCount() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("adam", "10.0.0.1");
    }
    throttle.succeeded("adam", "10.0.0.1");
    throttle.failed("adam", "10.0.0.1");
    assertEquals(Optional.empty(), throttle.wait("adam", "10.0.0.1"));
  }

  @Test
  void guessesAtManyNamesAreForgottenOnceTheyAreOld() {
    for (int i = 0; i <= 100_000; i++) {
      throttle.failed("name" + i, "10.0.0.1");
    }
    clock.advance(Duration.ofSeconds(5));
    throttle.failed("adam", "10.0.0.2");
    // name0's first failure is gone: three more are free again
    for (int i = 0; i < 3; i++) {
      throttle.failed("name0", "10.0.0.3");
    }
    assertEquals(Optional.empty(), throttle.wait("name0", "10.0.0.3"));
  }
}
