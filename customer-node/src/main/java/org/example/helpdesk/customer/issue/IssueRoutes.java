package org.example.helpdesk.customer.issue;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.example.helpdesk.platform.logging.LogContext;
import org.example.helpdesk.protocol.IssueContent;

/** The issues API customers use. */
public final class IssueRoutes extends ApiDirectives {

  private final Issues issues;

  public IssueRoutes(Issues issues, long maxBodyBytes) {
    super(maxBodyBytes);
    this.issues = issues;
  }

  /**
   * Body of {@code POST /issues}; {@code issueId} is optional and makes the report idempotent. (The
   * content is checked as it is read, the e-mail after the other fields.)
   */
  public record NewIssue(String email, IssueContent content, String issueId) {
    public NewIssue {
      if (email == null) {
        throw new InvalidRequestException("email is required");
      }
      if (content == null) {
        throw new InvalidRequestException("content is required");
      }
      if (issueId != null) {
        try {
          parseUuid(issueId);
        } catch (IllegalArgumentException e) {
          throw new InvalidRequestException("issueId must be a UUID");
        }
      }
    }

    /** The e-mail as an {@link Email}; an {@link InvalidRequestException} (400) when it is none. */
    public Email validEmail() {
      try {
        return Email.of(email);
      } catch (InvalidCommandInputException e) {
        throw new InvalidRequestException(e.getMessage());
      }
    }
  }

  public record IssueStatus(UUID issueId, String status) {}

  public record IssueView(
      UUID issueId,
      String email,
      String content,
      String status,
      Instant reportedAt,
      Instant closedAt,
      String progress,
      List<Timeline.Moment> timeline) {

    public static IssueView of(IssueEntity.View view) {
      Issue.Summary s = view.issue();
      return new IssueView(
          s.issueId(),
          s.email().value(),
          s.content().value(),
          statusName(s.status()),
          s.reportedAt(),
          s.closedAt(),
          IssueJson.name(s.progress()),
          view.timeline());
    }
  }

  public Route routes() {
    return pathPrefix(
        "issues",
        () ->
            concat(
                pathEndOrSingleSlash(() -> post(() -> jsonBody(NewIssue.class, this::report))),
                pathPrefix(
                    PathMatchers.segment(),
                    raw ->
                        uuid(
                            raw,
                            "issueId",
                            id ->
                                concat(
                                    pathEnd(
                                        () ->
                                            get(
                                                () ->
                                                    onReply(
                                                        issues.view(id),
                                                        v ->
                                                            json(
                                                                StatusCodes.OK, IssueView.of(v))))),
                                    path("close", () -> post(() -> close(id))))))));
  }

  private Route report(NewIssue body) {
    Email email;
    try {
      email = body.validEmail();
    } catch (InvalidRequestException e) {
      return ApiErrors.complete(StatusCodes.BAD_REQUEST, e.getMessage());
    }
    UUID id = body.issueId() == null ? UUID.randomUUID() : parseUuid(body.issueId());
    return withLogContext(
        LogContext.ISSUE_ID,
        id,
        traceparent(
            trace ->
                onReply(
                    issues.report(id, email, body.content(), trace),
                    reported -> {
                      IssueStatus status =
                          new IssueStatus(id, statusName(reported.issue().status()));
                      return reported.newlyReported()
                          ? created("/issues/" + id, status)
                          : json(StatusCodes.OK, status);
                    })));
  }

  private Route close(UUID id) {
    return traceparent(
        trace ->
            onReply(
                issues.close(id, trace),
                s -> json(StatusCodes.OK, new IssueStatus(id, statusName(s.status())))));
  }

  static String statusName(Issue.Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
