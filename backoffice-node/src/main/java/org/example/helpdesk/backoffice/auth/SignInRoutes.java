package org.example.helpdesk.backoffice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.web.Pages;

/**
 * Sign-in and sign-out. The sign-in form is protected against cross-site posting by a token that
 * must match a cookie set with the form (there is no session yet to derive one from).
 */
public final class SignInRoutes extends AllDirectives {

  private static final String FORM_COOKIE = "helpdesk_signin";
  private final Access access;
  private final SecureRandom random = new SecureRandom();

  public SignInRoutes(Access access) {
    this.access = access;
  }

  public Route routes() {
    return concat(
        pathSingleSlash(() -> get(() -> access.redirect("/console/tickets"))),
        path(
            "sign-in",
            () ->
                concat(
                    get(() -> form(StatusCodes.OK, "", null)),
                    post(() ->
                            formFieldMap(
                                fields ->
                                    cookie(
                                        FORM_COOKIE,
                                        formCookie -> signIn(fields, formCookie.value()))))
                        .orElse(
                            post(
                                () ->
                                    form(
                                        StatusCodes.FORBIDDEN,
                                        "",
                                        "The sign-in form expired; please try again."))))),
        path(
            "sign-out",
            () ->
                post(
                    () ->
                        access.page(
                            Employee.Role.AGENT,
                            signedIn ->
                                formFieldMap(
                                    fields ->
                                        access.form(
                                            signedIn,
                                            fields,
                                            () ->
                                                respondWithHeader(
                                                    access.clearedSessionCookie(),
                                                    () -> access.redirect("/sign-in"))))))));
  }

  private Route signIn(Map<String, String> fields, String formToken) {
    String raw = fields.getOrDefault("name", "");
    // (shown again in the form: never more than a name can be)
    String name = raw.length() > 64 ? raw.substring(0, 64) : raw;
    String csrf = fields.get("csrf");
    if (csrf == null || !MessageDigest.isEqual(csrf.getBytes(UTF_8), formToken.getBytes(UTF_8))) {
      return form(StatusCodes.FORBIDDEN, name, "The sign-in form expired; please try again.");
    }
    return access.clientAddress(
        address ->
            onSuccess(
                access.checkPassword(raw, fields.getOrDefault("password", ""), address),
                check -> {
                  if (check instanceof Access.PasswordCheck.Granted granted) {
                    return respondWithHeader(
                        access.sessionCookie(access.sessions().open(granted.employee().name())),
                        () -> access.redirect("/console/tickets"));
                  }
                  if (check instanceof Access.PasswordCheck.Throttled throttled) {
                    long seconds = Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000);
                    return respondWithHeader(
                        RawHeader.create("Retry-After", Long.toString(seconds)),
                        () ->
                            form(
                                StatusCodes.TOO_MANY_REQUESTS,
                                name,
                                "Too many failed sign-ins. Try again in " + seconds + " s."));
                  }
                  if (check instanceof Access.PasswordCheck.Busy) {
                    return respondWithHeader(
                        RawHeader.create("Retry-After", "1"),
                        () ->
                            form(
                                StatusCodes.SERVICE_UNAVAILABLE,
                                name,
                                "Too many sign-ins at once. Try again in a moment."));
                  }
                  return form(StatusCodes.UNAUTHORIZED, name, "Wrong name or password.");
                }));
  }

  private Route form(StatusCode status, String name, String error) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Map<String, Object> context = new HashMap<>();
    context.put("csrf", token);
    context.put("name", name);
    if (error != null) {
      context.put("error", error);
    }
    return respondWithHeaders(
        List.of(
            Access.NO_STORE,
            SetCookie.create(
                HttpCookie.create(FORM_COOKIE, token)
                    .withPath("/sign-in")
                    .withHttpOnly(true)
                    .withSameSite(SameSite.Strict))),
        () -> complete(Pages.response(status, "console-signin", context)));
  }
}
