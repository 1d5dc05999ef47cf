package org.example.helpdesk.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.example.helpdesk.backoffice.auth.SignInThrottle.Admission;
import org.example.helpdesk.testsupport.MovableClock;
import org.junit.jupiter.api.Test;

/**
 * Attempts: counted before the check, free a few times, then a wait that doubles; per account and
 * address, per address, per account.
 */
class SignInThrottleTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-05T09:00:00Z"));
  private final SignInThrottle throttle =
      new SignInThrottle(
          new SignInThrottle.Settings(
              3, 5, 8, Duration.ofSeconds(1), Duration.ofSeconds(4), 1_000, Duration.ofHours(1)),
          clock);

  private Admission fail(String account, String address) {
    Admission a = throttle.begin(account, address);
    if (a instanceof Admission.Admitted admitted) {
      throttle.failed(admitted);
    }
    return a;
  }

  @Test
  void attemptsInFlightCountAtOnce() {
    // three begun, none finished: the fourth is refused before any check ended
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(Admission.Admitted.class, throttle.begin("adam", "10.0.0.1"));
    }
    Admission fourth = throttle.begin("adam", "10.0.0.1");
    assertEquals(new Admission.Refused(Duration.ofSeconds(1)), fourth);
  }

  @Test
  void thePairWaitsLongerEachTimeUpToTheMaximum() {
    for (int i = 0; i < 3; i++) {
      fail("adam", "10.0.0.1");
    }
    assertEquals(new Admission.Refused(Duration.ofSeconds(1)), fail("adam", "10.0.0.1"));
    clock.advance(Duration.ofSeconds(1));
    assertInstanceOf(Admission.Admitted.class, fail("adam", "10.0.0.1"));
    assertEquals(new Admission.Refused(Duration.ofSeconds(2)), fail("adam", "10.0.0.1"));
    clock.advance(Duration.ofSeconds(2));
    fail("adam", "10.0.0.1");
    clock.advance(Duration.ofSeconds(4));
    fail("adam", "10.0.0.1");
    assertEquals(
        new Admission.Refused(Duration.ofSeconds(4)), fail("adam", "10.0.0.1"), "the maximum");
  }

  @Test
  void anotherAddressIsNotHeldBackByTheAccountsFailures() {
    for (int i = 0; i < 3; i++) {
      fail("adam", "10.0.0.1");
    }
    assertInstanceOf(Admission.Refused.class, fail("adam", "10.0.0.1"));
    assertInstanceOf(
        Admission.Admitted.class, throttle.begin("adam", "10.0.0.2"), "the employee elsewhere");
  }

  @Test
  void theAccountWideLimitHoldsBackOnlyAddressesThatFailed() {
    // guesses spread over many addresses: two from each of four addresses use up the 8
    for (int a = 1; a <= 4; a++) {
      fail("adam", "10.0.1." + a);
      fail("adam", "10.0.1." + a);
    }
    assertInstanceOf(
        Admission.Refused.class, fail("adam", "10.0.1.1"), "an address that failed waits");
    assertInstanceOf(
        Admission.Admitted.class, throttle.begin("adam", "10.0.2.1"), "a fresh one does not");
  }

  @Test
  void anAddressWaitsAfterMoreFailuresOverAnyAccounts() {
    for (int i = 0; i < 5; i++) {
      fail("guess" + i, "10.0.0.9");
    }
    assertEquals(new Admission.Refused(Duration.ofSeconds(1)), fail("olivia", "10.0.0.9"));
    assertInstanceOf(Admission.Admitted.class, throttle.begin("olivia", "10.0.0.1"));
  }

  @Test
  void aRightPasswordGivesItsAttemptBack() {
    fail("adam", "10.0.0.1");
    fail("adam", "10.0.0.1");
    Admission.Admitted right = (Admission.Admitted) throttle.begin("adam", "10.0.0.1");
    throttle.succeeded(right);
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(Admission.Admitted.class, fail("adam", "10.0.0.1"), "free again: " + i);
    }
  }

  @Test
  void anUncheckedAttemptIsGivenBack() {
    for (int i = 0; i < 10; i++) {
      Admission.Admitted a = (Admission.Admitted) throttle.begin("adam", "10.0.0.1");
      throttle.notChecked(a);
    }
    assertInstanceOf(Admission.Admitted.class, throttle.begin("adam", "10.0.0.1"));
  }

  @Test
  void anIpv6HostIsOneAddressPerSlash64() {
    for (int i = 1; i <= 3; i++) {
      fail("adam", "2001:db8:1:2::" + Integer.toHexString(i));
    }
    assertInstanceOf(
        Admission.Refused.class, fail("adam", "2001:db8:1:2:ffff:ffff:ffff:ffff"), "same /64");
    assertInstanceOf(Admission.Admitted.class, throttle.begin("adam", "2001:db8:1:3::1"));
    assertEquals("2001:db8:1:2:0:0:0:0/64", SignInThrottle.addressKey("2001:db8:1:2::7"));
    assertEquals("10.1.2.3", SignInThrottle.addressKey("::ffff:10.1.2.3"));
    assertEquals("unknown", SignInThrottle.addressKey("unknown"));
  }

  @Test
  void itsMemoryIsBoundedByCountWhateverArrives() {
    for (int i = 0; i < 20_000; i++) {
      fail("name" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }
    assertTrue(throttle.keys() <= 1_000, "keys kept: " + throttle.keys());
  }
}
