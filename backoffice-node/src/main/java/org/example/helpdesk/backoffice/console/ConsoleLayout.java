package org.example.helpdesk.backoffice.console;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.web.Pages;

/**
 * The console's shared layout, for the pages of every feature: the header's context (who is signed
 * in, in which role, the session's CSRF token), the message page, and how a failure reads as a
 * page. It knows no feature: the ticket and dead-letter pages use it.
 */
public final class ConsoleLayout extends AllDirectives {

  /** The header's context: every console page starts from it. */
  public Map<String, Object> nav(Access.SignedIn who) {
    Map<String, Object> c = new HashMap<>();
    c.put("employee", who.employee().name());
    c.put("role", who.employee().role().label());
    c.put("operator", who.employee().may(Employee.Role.OPERATOR));
    c.put("csrf", who.csrf());
    c.put("signedIn", true);
    return c;
  }

  /** A page that says one thing (not found, not done), with the layout around it. */
  public Route message(Access.SignedIn who, StatusCode code, String title, String message) {
    Map<String, Object> c = nav(who);
    c.put("title", title);
    c.put("message", message);
    return html(code, "console-message", c);
  }

  public Route html(StatusCode code, String template, Object context) {
    return complete(Pages.response(code, template, context));
  }

  /** The page of a stage's value, or a message page when it failed. */
  public <T> Route onDone(CompletionStage<T> stage, Function<T, Route> inner) {
    return onComplete(
        stage,
        result ->
            result.isSuccess()
                ? inner.apply(result.get())
                : complete(asPage(ApiErrors.responseFor(result.failed().get()))));
  }

  private static HttpResponse asPage(HttpResponse json) {
    String text = json.status().reason();
    return json.withEntity(
        HttpEntities.create(
            ContentTypes.TEXT_HTML_UTF8,
            Pages.render(
                "console-message",
                Map.of(
                    "title",
                    text,
                    "message",
                    "The backoffice could not answer: " + text + ". Try again in a moment."))));
    // (no session at hand here: the page has no header, only the way back)
  }

  /** A query parameter given at most once: a page naming it when it is repeated (as the API). */
  public Route single(Access.SignedIn who, String name, Function<Optional<String>, Route> inner) {
    return ApiDirectives.singleParameter(
        name, problem -> message(who, StatusCodes.BAD_REQUEST, "Invalid address", problem), inner);
  }

  /** The status a failure answers with, as the API would. */
  public static StatusCode statusOf(Throwable failure) {
    return ApiErrors.responseFor(failure).status();
  }

  /** The reason a failure gives, as the API's error would. */
  public static String errorOf(Throwable failure) {
    HttpResponse r = ApiErrors.responseFor(failure);
    try {
      return org.example.helpdesk.platform.http.Json.MAPPER
          .readTree(
              ((org.apache.pekko.http.javadsl.model.HttpEntity.Strict) r.entity())
                  .getData()
                  .toArray())
          .path("error")
          .asText();
    } catch (Exception e) {
      return r.status().reason();
    }
  }
}
