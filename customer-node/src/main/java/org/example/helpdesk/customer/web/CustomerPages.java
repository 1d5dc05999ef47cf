package org.example.helpdesk.customer.web;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Accept;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.example.helpdesk.customer.issue.Email;
import org.example.helpdesk.customer.issue.IssueRoutes;
import org.example.helpdesk.customer.issue.IssueRoutes.IssueView;
import org.example.helpdesk.customer.issue.IssueRoutes.NewIssue;
import org.example.helpdesk.customer.issue.Issues;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.example.helpdesk.platform.http.Json;
import org.example.helpdesk.platform.http.RequestRules;
import org.example.helpdesk.platform.web.PageTime;
import org.example.helpdesk.platform.web.Pages;
import org.example.helpdesk.protocol.IssueContent;

/**
 * The customer's pages: report an issue ({@code GET/POST /}), see it and close it ({@code
 * /issues/{id}}). Plain forms, so reporting and closing work without JavaScript. The rules and
 * their messages are the JSON API's ({@link NewIssue}, {@link Email}, {@link IssueContent}), only
 * shown as pages. On {@code /issues/...} a request that neither prefers HTML nor comes from a form
 * passes on, untouched, to the JSON API ({@link IssueRoutes}), which must be served after these
 * routes.
 */
public final class CustomerPages extends ApiDirectives {

  /**
   * The report form takes bodies up to {@link ReportForm#MAX_FORM_BYTES}: 10,000 characters of any
   * script, percent-encoded, take up to 90,000 bytes, over the node's limit for JSON bodies.
   */
  public static final RequestRules.LargerBody REPORT_FORM =
      new RequestRules.LargerBody(
          "POST", "/", "application/x-www-form-urlencoded", ReportForm.MAX_FORM_BYTES);

  private final Issues issues;

  public CustomerPages(Issues issues, long maxBodyBytes) {
    super(maxBodyBytes);
    this.issues = issues;
  }

  /**
   * The report form, with what was entered and why the server refused it. The form carries its own
   * issue id, so that sending it twice (a double click, a reload) reports one issue.
   */
  public record ReportPage(
      String issueId,
      String email,
      String content,
      String error,
      String reportedIssueId,
      boolean emailInvalid,
      boolean contentInvalid) {

    ReportPage(String issueId, String email, String content) {
      this(issueId, email, content, null, null, false, false);
    }

    static ReportPage empty() {
      return new ReportPage(UUID.randomUUID().toString(), null, null);
    }

    /** The same form refused with {@code error}; after a conflict it reports a new issue. */
    ReportPage refused(String error, UUID conflicting) {
      String id = conflicting == null && isUuid(issueId) ? issueId : UUID.randomUUID().toString();
      return new ReportPage(
          id,
          email,
          content,
          error,
          conflicting == null ? null : conflicting.toString(),
          false,
          false);
    }

    /** The same form with what is wrong with its fields, all at once. */
    ReportPage invalid(ReportForm.Problems problems) {
      return new ReportPage(
          isUuid(issueId) ? issueId : UUID.randomUUID().toString(),
          email,
          content,
          problems.text(),
          null,
          problems.email(),
          problems.content());
    }

    public int emailMax() {
      return Email.MAX_LENGTH;
    }

    public int contentMax() {
      return IssueContent.MAX_LENGTH;
    }

    public String contentMaxText() {
      return String.format(Locale.ENGLISH, "%,d", IssueContent.MAX_LENGTH);
    }
  }

  public record IssuePage(
      String issueId,
      String email,
      String content,
      String status,
      boolean open,
      PageTime reportedAt,
      PageTime closedAt,
      String progress,
      List<Moment> timeline) {

    static IssuePage of(IssueView issue) {
      return new IssuePage(
          issue.issueId().toString(),
          issue.email(),
          issue.content(),
          issue.status(),
          issue.closedAt() == null,
          PageTime.of(issue.reportedAt()),
          PageTime.of(issue.closedAt()),
          progressInWords(issue.status(), issue.progress()),
          issue.timeline().stream()
              .map(m -> new Moment(PageTime.of(m.at()), WHAT.get(m.what()), m.reply()))
              .toList());
    }
  }

  /** A moment of the issue's timeline, in words. */
  public record Moment(PageTime at, String what, String reply) {}

  /** How far support got, as the customer reads it. */
  static final Map<String, String> PROGRESS =
      Map.of(
          "reported", "Reported: waiting for our support team to take it on",
          "received", "Received by our support team",
          "assigned", "An agent is working on it",
          "closed-by-support", "Closed by our support team");

  /**
   * The progress line: how far support got, until the customer closes the issue themselves (then
   * "an agent is working on it" or "waiting for our support team" would no longer be true).
   */
  static String progressInWords(String status, String progress) {
    return "closed".equals(status) && !"closed-by-support".equals(progress)
        ? "Closed by you"
        : PROGRESS.get(progress);
  }

  /** Each moment of the timeline, in words. */
  static final Map<String, String> WHAT =
      Map.of(
          "reported", "You reported the issue",
          "received", "Our support team received it",
          "assigned", "An agent started working on it",
          "answered", "Support replied",
          "closed-by-support", "Our support team closed it",
          "closed", "You closed the issue");

  public record ErrorPage(String title, String message) {}

  public Route routes() {
    return concat(
        pathSingleSlash(
            () ->
                concat(
                    get(() -> page(StatusCodes.OK, ReportPage.empty())), post(this::reportForm))),
        pathPrefix(
            "issues",
            () ->
                pathPrefix(
                    PathMatchers.segment(),
                    raw ->
                        concat(
                            pathEnd(
                                () ->
                                    get(
                                        () ->
                                            forBrowsers(
                                                false, () -> uuid(raw, "issueId", this::show)))),
                            path(
                                "close",
                                () ->
                                    concat(
                                        post(
                                            () ->
                                                forBrowsers(
                                                    true, () -> uuid(raw, "issueId", this::close))),
                                        // (a browser that opens the form's address: the
                                        // issue; not a get directive, which would cancel the
                                        // API's 405 for everyone else)
                                        extractRequest(
                                            request ->
                                                request.method().equals(HttpMethods.GET)
                                                        && Pages.prefersHtml(
                                                            request.getHeader(Accept.class))
                                                    ? uuid(raw, "issueId", this::seeIssue)
                                                    : reject())))))));
  }

  /**
   * {@code page} for a browser (it prefers HTML, or, with {@code forms}, sent a form), its errors
   * as pages; any other client gets the JSON API, as it always did.
   */
  private Route forBrowsers(boolean forms, Supplier<Route> page) {
    return extractRequest(
        request ->
            Pages.prefersHtml(request.getHeader(Accept.class)) || (forms && isForm(request))
                ? mapResponse(CustomerPages::asErrorPage, page)
                : reject());
  }

  private Route reportForm() {
    return extractRequest(
        request ->
            isForm(request)
                ? entity(
                    Unmarshaller.entityToByteString(),
                    body -> {
                      Map<String, String> form;
                      try {
                        form = UrlEncodedForm.parse(body.toArray());
                      } catch (InvalidRequestException e) {
                        return page(
                            StatusCodes.BAD_REQUEST,
                            ReportPage.empty().refused(e.getMessage(), null));
                      }
                      return report(form);
                    })
                : ApiErrors.complete(
                    StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/x-www-form-urlencoded"));
  }

  private Route report(Map<String, String> form) {
    // browsers send each line break as CR LF; the customer typed (and the page counted) one
    // character
    String content = form.get("content") == null ? null : form.get("content").replace("\r\n", "\n");
    ReportPage entered = new ReportPage(form.get("issueId"), form.get("email"), content);
    ReportForm.Problems problems =
        ReportForm.check(form.get("email"), content, form.get("issueId"));
    if (problems.any()) {
      return page(StatusCodes.BAD_REQUEST, entered.invalid(problems));
    }
    NewIssue issue =
        new NewIssue(form.get("email"), new IssueContent(content), form.get("issueId"));
    Email email = issue.validEmail();
    UUID id = issue.issueId() == null ? UUID.randomUUID() : parseUuid(issue.issueId());
    return traceparent(
        trace ->
            onComplete(
                issues.report(id, email, issue.content(), trace),
                result -> {
                  if (result.isSuccess()) {
                    return seeIssue(id);
                  }
                  HttpResponse error = ApiErrors.responseFor(result.failed().get());
                  boolean conflict = error.status().equals(StatusCodes.CONFLICT);
                  return page(
                      error.status(), entered.refused(errorMessage(error), conflict ? id : null));
                }));
  }

  private Route show(UUID id) {
    return onReply(
        issues.view(id),
        view ->
            complete(
                Pages.response(
                    StatusCodes.OK, "customer-issue", IssuePage.of(IssueView.of(view)))));
  }

  /** Closing a closed issue is no error: the customer lands on the issue's page either way. */
  private Route close(UUID id) {
    return traceparent(trace -> onReply(issues.close(id, trace), closed -> seeIssue(id)));
  }

  private Route seeIssue(UUID id) {
    return redirect(Uri.create("/issues/" + id), StatusCodes.SEE_OTHER);
  }

  private Route page(StatusCode status, ReportPage page) {
    return complete(Pages.response(status, "customer-report", page));
  }

  private static boolean isForm(HttpRequest request) {
    return request
        .entity()
        .getContentType()
        .mediaType()
        .equals(MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED);
  }

  /** A JSON error of the API (400, 404, 503 ...) as a page with the same status and message. */
  private static HttpResponse asErrorPage(HttpResponse response) {
    if (response.status().intValue() < 400
        || !response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      return response;
    }
    String title = response.status().intValue() + " " + response.status().reason();
    return Pages.response(
        response.status(), "customer-error", new ErrorPage(title, errorMessage(response)));
  }

  /**
   * The message of an {@link ApiErrors} response, which is always strict JSON {@code {"error":
   * ...}}.
   */
  private static String errorMessage(HttpResponse response) {
    if (response.entity() instanceof HttpEntity.Strict strict) {
      try {
        return Json.MAPPER.readTree(strict.getData().toArray()).path("error").asText();
      } catch (IOException e) {
        // not ours: say what the status says
      }
    }
    return response.status().reason();
  }

  private static boolean isUuid(String value) {
    try {
      parseUuid(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
