package org.example.helpdesk.customer.web;

import java.util.ArrayList;
import java.util.List;
import org.example.helpdesk.customer.issue.Email;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.IssueContent;

/**
 * The report form's fields checked by the API's rules ({@link Email}, {@link IssueContent}), all at
 * once, and said as the page names the fields ("E-mail address must ...", not the JSON's "email
 * must ...").
 */
final class ReportForm {

  /** The largest form body a valid report can need: every character percent-encoded. */
  static final long MAX_FORM_BYTES = 256 * 1024;

  private ReportForm() {}

  record Problems(List<String> messages, boolean email, boolean content) {
    boolean any() {
      return !messages.isEmpty();
    }

    /** One sentence: the messages joined, the page adds "Not sent:" and the full stop. */
    String text() {
      return String.join("; ", messages);
    }
  }

  static Problems check(String email, String content, String issueId) {
    List<String> messages = new ArrayList<>();
    boolean emailWrong = false;
    boolean contentWrong = false;
    if (email == null || email.isBlank()) {
      messages.add("E-mail address is required");
      emailWrong = true;
    } else {
      try {
        Email.of(email);
      } catch (InvalidCommandInputException | InvalidValueException e) {
        messages.add(inWords(e.getMessage()));
        emailWrong = true;
      }
    }
    if (content == null) {
      messages.add("Description of the issue is required");
      contentWrong = true;
    } else {
      try {
        new IssueContent(content);
      } catch (InvalidValueException e) {
        messages.add(inWords(e.getMessage()));
        contentWrong = true;
      }
    }
    if (issueId != null) {
      try {
        ApiDirectives.parseUuid(issueId);
      } catch (IllegalArgumentException e) {
        messages.add("this form is out of date (its issue id is not a UUID): reload the page");
      }
    }
    return new Problems(List.copyOf(messages), emailWrong, contentWrong);
  }

  /** A rule's message with the field named as the page names it, and numbers as people write. */
  static String inWords(String message) {
    String m = message;
    if (m.startsWith("email ")) {
      m = "E-mail address " + m.substring("email ".length());
    } else if (m.startsWith("content ")) {
      m = "Description of the issue " + m.substring("content ".length());
    }
    return m.replace(
        String.valueOf(IssueContent.MAX_LENGTH),
        String.format(java.util.Locale.ENGLISH, "%,d", IssueContent.MAX_LENGTH));
  }
}
