package org.example.helpdesk.backoffice.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: after a few failed sign-ins for one account, or more from one address (an
 * office shares one), the next attempt is refused until a delay has passed that doubles with each
 * further failure (up to a maximum). Kept per node, in memory; a success clears the account's and
 * the address's count.
 */
public final class SignInThrottle {

  private static final int MAX_KEPT = 100_000;

  private final int freePerAccount;
  private final int freePerAddress;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  private record Failures(int count, Instant lastFailedAt, Instant blockedUntil) {}

  public SignInThrottle(
      int freePerAccount, int freePerAddress, Duration baseDelay, Duration maxDelay, Clock clock) {
    this.freePerAccount = freePerAccount;
    this.freePerAddress = freePerAddress;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.clock = clock;
  }

  /** How long the account or the address must still wait, if it must. */
  public Optional<Duration> wait(String account, String address) {
    Instant now = clock.instant();
    Instant until = later(blockedUntil("account:" + account), blockedUntil("address:" + address));
    return until != null && until.isAfter(now)
        ? Optional.of(Duration.between(now, until))
        : Optional.empty();
  }

  public void failed(String account, String address) {
    fail("account:" + account, freePerAccount);
    fail("address:" + address, freePerAddress);
    if (failures.size() > MAX_KEPT) {
      // guesses at many names from many addresses: forget those that wait no longer and have not
      // failed for a while (their counts start again)
      Instant stale = clock.instant().minus(maxDelay);
      failures
          .values()
          .removeIf(
              f ->
                  f.lastFailedAt().isBefore(stale)
                      && (f.blockedUntil() == null || f.blockedUntil().isBefore(stale)));
    }
  }

  public void succeeded(String account, String address) {
    failures.remove("account:" + account);
    failures.remove("address:" + address);
  }

  private void fail(String key, int freeFailures) {
    failures.compute(
        key,
        (k, f) -> {
          Instant now = clock.instant();
          int count = f == null ? 1 : f.count() + 1;
          int over = count - freeFailures;
          if (over <= 0) {
            return new Failures(count, now, null);
          }
          long millis =
              Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(over - 1, 20));
          return new Failures(count, now, now.plusMillis(millis));
        });
  }

  private Instant blockedUntil(String key) {
    Failures f = failures.get(key);
    return f == null ? null : f.blockedUntil();
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
