package org.example.helpdesk.backoffice.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Slows down password guessing. Every password check is an attempt, counted <em>before</em> the
 * check ({@link #begin}) so that a burst of concurrent guesses gets no more checks than the free
 * budget, and given back when the password was right ({@link #succeeded}). Attempts are counted
 * under three keys:
 *
 * <ul>
 *   <li>the account from the address (IPv6: its /64): a few free, then each next one waits a delay
 *       that doubles up to a maximum;
 *   <li>the address, over all accounts: more free (an office shares one), then the same;
 *   <li>the account from anywhere: many free, then addresses that have attempts of their own wait
 *       too. An address without any attempt is never held back by it, so nobody can lock the real
 *       employee out from another address.
 * </ul>
 *
 * Kept per node in memory, bounded by count whatever names and addresses arrive (Caffeine; the
 * least used keys are forgotten first). Names that are not employee names never get here.
 */
public final class SignInThrottle {

  /** Free attempts and the delays after them. */
  public record Settings(
      int freePerAccountAndAddress,
      int freePerAddress,
      int freePerAccount,
      Duration baseDelay,
      Duration maxDelay,
      long maxKeys,
      Duration forgetAfter) {}

  /** What {@link #begin} decided: a check may run, or the caller must wait. */
  public sealed interface Admission {
    /** The check may run; hand this back to {@link #succeeded} or {@link #failed}. */
    record Admitted(List<String> keys) implements Admission {}

    record Refused(Duration retryAfter) implements Admission {}
  }

  /** Attempts counted under a key, and when the next one over the free budget may run. */
  private static final class Count {
    int attempts;
    Instant nextAllowed = Instant.MIN;
  }

  private final Settings settings;
  private final Clock clock;
  private final Cache<String, Count> counts;

  public SignInThrottle(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    // a key unused for forgetAfter starts afresh: each address gets its free attempts again then
    this.counts =
        Caffeine.newBuilder()
            .maximumSize(settings.maxKeys())
            .expireAfterAccess(settings.forgetAfter())
            .build();
  }

  /**
   * Counts an attempt of {@code account} from {@code address} if the budget allows one now. Atomic
   * over the three keys: a refused attempt counts nowhere.
   */
  public synchronized Admission begin(String account, String address) {
    Instant now = clock.instant();
    String where = addressKey(address);
    String pairKey = "pair:" + account + "|" + where;
    String addressKey = "address:" + where;
    String accountKey = "account:" + account;
    Count address0 = counts.getIfPresent(addressKey);
    boolean addressHasAttempts = address0 != null && address0.attempts > 0;
    Instant until = Instant.MIN;
    until = later(until, blockedUntil(pairKey, settings.freePerAccountAndAddress(), now));
    until = later(until, blockedUntil(addressKey, settings.freePerAddress(), now));
    if (addressHasAttempts) {
      until = later(until, blockedUntil(accountKey, settings.freePerAccount(), now));
    }
    if (until.isAfter(now)) {
      return new Admission.Refused(Duration.between(now, until));
    }
    count(pairKey, settings.freePerAccountAndAddress(), now);
    count(addressKey, settings.freePerAddress(), now);
    count(accountKey, settings.freePerAccount(), now);
    return new Admission.Admitted(List.of(pairKey, addressKey, accountKey));
  }

  /** The password was right: its attempt is given back, and the pair starts afresh. */
  public synchronized void succeeded(Admission.Admitted admitted) {
    counts.invalidate(admitted.keys().get(0));
    giveBack(admitted);
  }

  /**
   * Credentials that passed a check recently came from this address: the pair starts afresh (its
   * failures were the employee's own typing, not a guesser's: a guesser has no right password).
   */
  public void signedIn(String account, String address) {
    String pairKey = "pair:" + account + "|" + addressKey(address);
    if (counts.getIfPresent(pairKey) != null) {
      counts.invalidate(pairKey);
    }
  }

  /** The password was wrong: the attempt stays counted. */
  public void failed(Admission.Admitted admitted) {
    // (counted already, in begin)
  }

  /** The check did not run (no room to run it): the attempt is given back. */
  public synchronized void notChecked(Admission.Admitted admitted) {
    for (String key : admitted.keys()) {
      Count c = counts.getIfPresent(key);
      if (c != null && c.attempts > 0) {
        c.attempts--;
      }
    }
  }

  private void giveBack(Admission.Admitted admitted) {
    for (String key : admitted.keys().subList(1, admitted.keys().size())) {
      Count c = counts.getIfPresent(key);
      if (c != null && c.attempts > 0) {
        c.attempts--;
      }
    }
  }

  /** Keys kept now (for tests of the bound). */
  public long keys() {
    counts.cleanUp();
    return counts.estimatedSize();
  }

  private Instant blockedUntil(String key, int free, Instant now) {
    Count c = counts.getIfPresent(key);
    return c == null || c.attempts < free ? Instant.MIN : c.nextAllowed;
  }

  private void count(String key, int free, Instant now) {
    Count c = counts.get(key, k -> new Count());
    c.attempts++;
    int over = c.attempts - free; // 0 when this attempt used the last free one
    if (over >= 0) {
      long millis =
          Math.min(
              settings.maxDelay().toMillis(),
              settings.baseDelay().toMillis() << Math.min(over, 20));
      c.nextAllowed = now.plusMillis(millis);
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * The address as a throttle key: an IPv4 address as it is, an IPv6 address by its /64 (a host
   * usually gets a whole /64, and could otherwise take a fresh address for each guess).
   */
  static String addressKey(String address) {
    if (!address.matches("[0-9A-Fa-f:.]{2,45}")) {
      return address; // not an address literal ("unknown"): a key of its own, and no DNS lookup
    }
    try {
      InetAddress a = InetAddress.getByName(address);
      if (a instanceof Inet6Address) {
        byte[] bytes = Arrays.copyOf(a.getAddress(), 16);
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
      }
      if (a instanceof Inet4Address) {
        return a.getHostAddress();
      }
    } catch (UnknownHostException | IllegalArgumentException e) {
      // not an address after all: a key of its own
    }
    return address;
  }
}
