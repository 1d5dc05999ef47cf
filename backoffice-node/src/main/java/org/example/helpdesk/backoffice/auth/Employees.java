package org.example.helpdesk.backoffice.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The employees who may sign in, from configuration: entries {@code name:role:bcrypt-hash}, one per
 * line in {@code EMPLOYEES_FILE} and/or separated by spaces or commas in {@code EMPLOYEES}. Only
 * bcrypt hashes are accepted (a plain-text password is refused at start-up); make one with {@code
 * java -cp backoffice-node.jar org.example.helpdesk.backoffice.auth.HashPassword}.
 */
public final class Employees {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

  /**
   * Checked when the name is unknown, so that an unknown name takes as long as a wrong password.
   */
  private static final String DUMMY_HASH = new BCryptPasswordEncoder(10).encode("no such employee");

  private static final Duration VERIFIED_FOR = Duration.ofMinutes(5);
  private static final int MAX_VERIFIED = 10_000;

  private final Map<String, Entry> byName;
  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder();
  private final Clock clock;

  /**
   * Credentials that passed recently, by their SHA-256: HTTP Basic sends the password with every
   * request, and bcrypt is meant to be slow (tens of milliseconds).
   */
  private final Cache<String, Instant> verified =
      Caffeine.newBuilder().maximumSize(MAX_VERIFIED).expireAfterWrite(VERIFIED_FOR).build();

  private final ThreadPoolExecutor checks;

  private record Entry(Employee employee, String hash) {}

  private Employees(Map<String, Entry> byName, Clock clock, ThreadPoolExecutor checks) {
    this.byName = byName;
    this.clock = clock;
    this.checks = checks;
  }

  /**
   * @param entries entries separated by whitespace or commas
   * @param file a file of entries, one per line ({@code #} starts a comment), or empty
   */
  public static Employees parse(String entries, String file, Clock clock) {
    List<String> all = new ArrayList<>();
    for (String e : entries.split("[\\s,]+")) {
      if (!e.isBlank()) {
        all.add(e.strip());
      }
    }
    if (!file.isBlank()) {
      try {
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
          String l = line.strip();
          if (!l.isEmpty() && !l.startsWith("#")) {
            all.add(l);
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "EMPLOYEES_FILE " + file + " cannot be read: " + e.getMessage(), e);
      }
    }
    Map<String, Entry> byName = new HashMap<>();
    for (String e : all) {
      String[] parts = e.split(":", 3);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "employee entry must be name:role:bcrypt-hash, got '" + preview(e) + "'");
      }
      if (!NAME.matcher(parts[0]).matches()) {
        throw new IllegalArgumentException(
            "employee name '" + preview(parts[0]) + "' must be 1 to 64 of A-Z a-z 0-9 . _ @ -");
      }
      Employee.Role role = Employee.Role.parse(parts[1]);
      if (!BCRYPT.matcher(parts[2]).matches()) {
        throw new IllegalArgumentException(
            "the password of employee '"
                + parts[0]
                + "' must be a bcrypt hash ($2a$/$2b$/$2y$), not a password");
      }
      if (byName.put(parts[0], new Entry(new Employee(parts[0], role), parts[2])) != null) {
        throw new IllegalArgumentException("employee '" + parts[0] + "' is listed twice");
      }
    }
    return new Employees(Map.copyOf(byName), clock, passwordChecks(2, 32));
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  public int size() {
    return byName.size();
  }

  /** Everyone on the list, by name: whom a ticket can be assigned to. */
  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }

  /** Still on the list (a session outlives a removal only until its next request). */
  public Optional<Employee> named(String name) {
    Entry e = byName.get(name);
    return e == null ? Optional.empty() : Optional.of(e.employee());
  }

  /** An employee name as the list takes them; anything else is no account at all. */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The employee, if these credentials passed a check recently (no bcrypt: HTTP Basic sends them
   * with every request). Never waits.
   */
  public Optional<Employee> cached(String name, String password) {
    Entry e = byName.get(name);
    if (e == null || password == null) {
      return Optional.empty();
    }
    Instant until = verified.getIfPresent(fingerprint(name, password));
    return until != null && until.isAfter(clock.instant())
        ? Optional.of(e.employee())
        : Optional.empty();
  }

  /**
   * As {@link #verify}, off the HTTP threads: a bcrypt check takes tens of milliseconds of CPU. On
   * a few threads behind a bounded queue, so that a flood of guesses can take neither every core
   * nor unbounded memory: when the queue is full the stage fails at once with {@link
   * ChecksBusyException}.
   */
  public CompletionStage<Optional<Employee>> verifyAsync(String name, String password) {
    try {
      return CompletableFuture.supplyAsync(() -> verify(name, password), checks);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new ChecksBusyException());
    }
  }

  /** Every password-check thread is busy and the queue is full. */
  public static final class ChecksBusyException extends RuntimeException {
    public ChecksBusyException() {
      super("too many password checks waiting", null, false, false);
    }
  }

  /** Password checks on {@code threads} threads, at most {@code queue} waiting. */
  public Employees withChecks(int threads, int queue) {
    return new Employees(byName, clock, passwordChecks(threads, queue));
  }

  private static ThreadPoolExecutor passwordChecks(int threads, int queue) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "password-checks");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true); // (a node stopped in a test leaves no threads behind)
    return pool;
  }

  /** The employee whose password this is; the same work whether the name exists or not. */
  public Optional<Employee> verify(String name, String password) {
    if (name == null || password == null) {
      return Optional.empty();
    }
    Entry e = byName.get(name);
    String key = fingerprint(name, password);
    Instant until = verified.getIfPresent(key);
    if (e != null && until != null && until.isAfter(clock.instant())) {
      return Optional.of(e.employee());
    }
    boolean matches = encoder.matches(password, e == null ? DUMMY_HASH : e.hash());
    if (e == null || !matches) {
      return Optional.empty();
    }
    verified.put(key, clock.instant().plus(VERIFIED_FOR));
    return Optional.of(e.employee());
  }

  private static String fingerprint(String name, String password) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((name + '\u0000' + password).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String preview(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "..." : s;
  }
}
