package org.example.helpdesk.backoffice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.web.Pages;

/**
 * Who may do what on the backoffice node. The JSON API takes HTTP Basic or the console's session
 * cookie (then a state-changing request must carry the session's CSRF token in {@code
 * X-CSRF-Token}); pages take the session only and send strangers to the sign-in page. Without
 * credentials: 401; with a role that may not: 403; both with a JSON error on the API.
 */
public final class Access extends AllDirectives {

  public static final String SESSION_COOKIE = "helpdesk_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /**
   * On every page and API answer behind sign-in: a browser keeps none of them (Back after signing
   * out shows nothing from its cache).
   */
  public static final HttpHeader NO_STORE =
      org.apache.pekko.http.javadsl.model.headers.CacheControl.create(
          org.apache.pekko.http.javadsl.model.headers.CacheDirectives.NO_STORE);

  private final Employees employees;
  private final Sessions sessions;
  private final SignInThrottle throttle;
  private final boolean secureCookie;
  private final TrustedProxies trustedProxies;

  /** A signed-in employee on a page, with the session (its CSRF token goes into every form). */
  public record SignedIn(Employee employee, Sessions.Session session, String csrf) {}

  public Access(
      Employees employees,
      Sessions sessions,
      SignInThrottle throttle,
      boolean secureCookie,
      TrustedProxies trustedProxies) {
    this.employees = employees;
    this.sessions = sessions;
    this.throttle = throttle;
    this.secureCookie = secureCookie;
    this.trustedProxies = trustedProxies;
  }

  public Employees employees() {
    return employees;
  }

  public Sessions sessions() {
    return sessions;
  }

  public SignInThrottle throttle() {
    return throttle;
  }

  // ---- the JSON API ----------------------------------------------------------------------------

  /**
   * The employee behind the request, if their role includes {@code needed}; 401/403/429 otherwise.
   */
  public Route api(Employee.Role needed, Function<Employee, Route> inner) {
    return respondWithDefaultHeader(NO_STORE, () -> apiChecked(needed, inner));
  }

  private Route apiChecked(Employee.Role needed, Function<Employee, Route> inner) {
    return extractRequest(
        request ->
            clientAddress(
                address -> {
                  Optional<String[]> basic = basicCredentials(request);
                  if (basic.isPresent()) {
                    if (changesState(request) && CrossSite.fromOtherSite(request)) {
                      return ApiErrors.complete(
                          StatusCodes.FORBIDDEN,
                          "a request from another site may not change anything (Origin or"
                              + " Sec-Fetch-Site); send it from this node's own pages or without"
                              + " a browser");
                    }
                    return onSuccess(
                        checkPassword(basic.get()[0], basic.get()[1], address),
                        check -> {
                          if (check instanceof PasswordCheck.Granted granted) {
                            return allowed(granted.employee(), needed, inner);
                          }
                          if (check instanceof PasswordCheck.Throttled throttled) {
                            return tooMany(throttled.retryAfter());
                          }
                          if (check instanceof PasswordCheck.Busy) {
                            return busy();
                          }
                          return unauthorized("wrong name or password");
                        });
                  }
                  Optional<Sessions.Session> session = session(request);
                  Optional<Employee> employee = session.flatMap(s -> employees.named(s.employee()));
                  if (employee.isEmpty()) {
                    return unauthorized(
                        "sign in first: HTTP Basic credentials or the console's session are required");
                  }
                  if (changesState(request)
                      && !sessions.csrfMatches(
                          session.get(),
                          request.getHeader(CSRF_HEADER).map(HttpHeader::value).orElse(null))) {
                    return ApiErrors.complete(
                        StatusCodes.FORBIDDEN, "missing or wrong " + CSRF_HEADER + " header");
                  }
                  return allowed(employee.get(), needed, inner);
                }));
  }

  /**
   * Open from the loopback address (a local scraper, the node's own tests), otherwise to a
   * signed-in employee like the API. (A TLS proxy on the same host makes every request loopback:
   * then give the proxy its own rule for {@code /metrics}.)
   */
  public Route loopbackOrSignedIn(Route inner) {
    return extractRequest(
        request ->
            peer(request).map(InetAddress::isLoopbackAddress).orElse(false)
                ? inner
                : api(Employee.Role.AGENT, e -> inner));
  }

  private Route allowed(Employee employee, Employee.Role needed, Function<Employee, Route> inner) {
    if (!employee.may(needed)) {
      return ApiErrors.complete(
          StatusCodes.FORBIDDEN,
          "employee "
              + employee.name()
              + " ("
              + employee.role().label()
              + ") may not do this; it needs the role "
              + needed.label());
    }
    return inner.apply(employee);
  }

  private Route unauthorized(String message) {
    return respondWithHeader(
        RawHeader.create(
            "WWW-Authenticate", "Basic realm=\"helpdesk backoffice\", charset=\"UTF-8\""),
        () -> ApiErrors.complete(StatusCodes.UNAUTHORIZED, message));
  }

  private Route tooMany(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return respondWithHeader(
        RawHeader.create("Retry-After", Long.toString(seconds)),
        () ->
            ApiErrors.complete(
                StatusCodes.TOO_MANY_REQUESTS,
                "too many failed sign-ins; try again in " + seconds + " s"));
  }

  private Route busy() {
    return respondWithHeader(
        RawHeader.create("Retry-After", "1"),
        () ->
            ApiErrors.complete(
                StatusCodes.SERVICE_UNAVAILABLE, "too many sign-ins at once; try again in 1 s"));
  }

  /** How a name and password fared. */
  public sealed interface PasswordCheck {
    record Granted(Employee employee) implements PasswordCheck {}

    /** Wrong name or password (or no employee name at all). */
    record Wrong() implements PasswordCheck {}

    /** Too many attempts: not checked; try again after {@code retryAfter}. */
    record Throttled(Duration retryAfter) implements PasswordCheck {}

    /** No room to check it now (the queue of password checks is full): not counted. */
    record Busy() implements PasswordCheck {}
  }

  /**
   * Checks a name and password, for Basic and for the sign-in form. A name that is no employee name
   * is wrong at once and is never a throttle key; credentials that passed recently are taken at
   * once, without a throttle or a queue; anything else is an attempt counted before its bcrypt
   * check and given back when it passes.
   */
  public CompletionStage<PasswordCheck> checkPassword(
      String name, String password, String address) {
    if (!Employees.isName(name)) {
      return CompletableFuture.completedFuture(new PasswordCheck.Wrong());
    }
    Optional<Employee> cached = employees.cached(name, password);
    if (cached.isPresent()) {
      throttle.signedIn(name, address);
      return CompletableFuture.completedFuture(new PasswordCheck.Granted(cached.get()));
    }
    SignInThrottle.Admission admission = throttle.begin(name, address);
    if (admission instanceof SignInThrottle.Admission.Refused refused) {
      return CompletableFuture.completedFuture(new PasswordCheck.Throttled(refused.retryAfter()));
    }
    SignInThrottle.Admission.Admitted admitted = (SignInThrottle.Admission.Admitted) admission;
    return employees
        .verifyAsync(name, password)
        .handle(
            (employee, failure) -> {
              if (failure != null) {
                throttle.notChecked(admitted);
                return new PasswordCheck.Busy();
              }
              if (employee.isEmpty()) {
                throttle.failed(admitted);
                return new PasswordCheck.Wrong();
              }
              throttle.succeeded(admitted);
              return new PasswordCheck.Granted(employee.get());
            });
  }

  // ---- pages -----------------------------------------------------------------------------------

  /** A page for signed-in employees whose role includes {@code needed}; others go to sign in. */
  public Route page(Employee.Role needed, Function<SignedIn, Route> inner) {
    return respondWithDefaultHeader(NO_STORE, () -> pageChecked(needed, inner));
  }

  private Route pageChecked(Employee.Role needed, Function<SignedIn, Route> inner) {
    return extractRequest(
        request -> {
          Optional<Sessions.Session> session = session(request);
          Optional<Employee> employee = session.flatMap(s -> employees.named(s.employee()));
          if (employee.isEmpty()) {
            // htmx would follow a redirect and swap the sign-in page into a fragment of the page
            return request.getHeader("HX-Request").isPresent()
                ? complete(
                    HttpResponse.create()
                        .withStatus(StatusCodes.UNAUTHORIZED)
                        .addHeader(RawHeader.create("HX-Redirect", "/sign-in")))
                : redirect("/sign-in");
          }
          SignedIn signedIn =
              new SignedIn(employee.get(), session.get(), sessions.csrfToken(session.get()));
          if (!employee.get().may(needed)) {
            Map<String, Object> c = header(signedIn);
            c.put("needed", needed.label());
            return complete(Pages.response(StatusCodes.FORBIDDEN, "console-forbidden", c));
          }
          return inner.apply(signedIn);
        });
  }

  /** A form post of a signed-in page: its {@code csrf} field must be the session's token. */
  public Route form(SignedIn signedIn, Map<String, String> fields, Supplier<Route> inner) {
    if (!sessions.csrfMatches(signedIn.session(), fields.get("csrf"))) {
      Map<String, Object> c = header(signedIn);
      c.put("title", "Form expired");
      c.put(
          "message",
          "This form was not sent from a page of this session (CSRF check failed). Go back, reload the page and try again.");
      return complete(Pages.response(StatusCodes.FORBIDDEN, "console-message", c));
    }
    return inner.get();
  }

  /**
   * The console header's context (as the console's layout makes it, which this package cannot use):
   * the refusals keep the header, its navigation and Sign out.
   */
  private static Map<String, Object> header(SignedIn who) {
    Map<String, Object> c = new java.util.HashMap<>();
    c.put("employee", who.employee().name());
    c.put("role", who.employee().role().label());
    c.put("operator", who.employee().may(Employee.Role.OPERATOR));
    c.put("csrf", who.csrf());
    c.put("signedIn", true);
    return c;
  }

  public Route redirect(String to) {
    return redirect(org.apache.pekko.http.javadsl.model.Uri.create(to), StatusCodes.SEE_OTHER);
  }

  public HttpHeader sessionCookie(String token) {
    return SetCookie.create(
        HttpCookie.create(SESSION_COOKIE, token)
            .withPath("/")
            .withHttpOnly(true)
            .withSecure(secureCookie)
            .withSameSite(SameSite.Strict)
            .withMaxAge(sessions.ttl().toSeconds()));
  }

  public HttpHeader clearedSessionCookie() {
    return SetCookie.create(
        HttpCookie.create(SESSION_COOKIE, "deleted")
            .withPath("/")
            .withHttpOnly(true)
            .withSecure(secureCookie)
            .withSameSite(SameSite.Strict)
            .withMaxAge(0));
  }

  /**
   * The address of the client, for the throttle: the connection's peer, or what a trusted proxy
   * says ({@link TrustedProxies}). Not {@code extractClientIP}: it believes {@code X-Forwarded-For}
   * from anyone, and any client can send it (and so could spread its guesses over invented
   * addresses). (/metrics asks the peer alone.)
   */
  public Route clientAddress(Function<String, Route> inner) {
    return extractRequest(
        request ->
            inner.apply(
                peer(request)
                    .map(p -> trustedProxies.client(p, request).getHostAddress())
                    .orElse("unknown")));
  }

  private static Optional<InetAddress> peer(HttpRequest request) {
    // (pekko.http.server.remote-address-attribute = on, in helpdesk-node.conf)
    return request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
  }

  Optional<Sessions.Session> session(HttpRequest request) {
    for (HttpHeader h : request.getHeaders()) {
      if (h instanceof Cookie cookie) {
        for (HttpCookiePair pair : cookie.getCookies()) {
          if (pair.name().equals(SESSION_COOKIE)) {
            return sessions.read(pair.value());
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean changesState(HttpRequest request) {
    return !(request.method().equals(HttpMethods.GET)
        || request.method().equals(HttpMethods.HEAD)
        || request.method().equals(HttpMethods.OPTIONS));
  }

  private static Optional<String[]> basicCredentials(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(HttpHeader::value)
        .filter(v -> v.regionMatches(true, 0, "Basic ", 0, 6))
        .flatMap(
            v -> {
              try {
                String decoded =
                    new String(Base64.getDecoder().decode(v.substring(6).strip()), UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0
                    ? Optional.<String[]>empty()
                    : Optional.of(
                        new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
              } catch (IllegalArgumentException e) {
                return Optional.<String[]>of(new String[] {"", ""});
              }
            });
  }
}
