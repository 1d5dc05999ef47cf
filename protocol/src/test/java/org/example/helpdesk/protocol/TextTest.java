package org.example.helpdesk.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The texts of the domain cannot hold an invalid value, and each broken rule says which. */
class TextTest {

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "ticketType  | NULL          | ticketType is required",
        "ticketType  | '  '          | ticketType must not be blank",
        "ticketType  | LONG101       | ticketType must be at most 100 characters",
        "ticketType  | a\u001bb      | ticketType must not contain control characters",
        "description | NULL          | description is required",
        "description | LONG10001     | description must be at most 10000 characters",
        "description | a\u0000b      | description must not contain control characters",
        "description | a\ud800b      | description must be valid Unicode text (it holds half a character)",
        "assignee    | NULL          | assignee is required",
        "assignee    | ' \t '        | assignee must not be blank",
        "assignee    | LONG201       | assignee must be at most 200 characters",
        "assignee    | al\u0007ice   | assignee must not contain control characters",
        "content     | NULL          | content is required",
        "content     | '\u2003'      | content must not be blank",
        "content     | LONG10001     | content must be at most 10000 characters",
        "content     | 'bell\u0007'  | content must not contain control characters",
      })
  void eachBrokenRuleIsNamed(String field, String value, String message) {
    String text =
        value != null && value.startsWith("LONG")
            ? "x".repeat(Integer.parseInt(value.substring(4)))
            : value;
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> constructor(field).apply(text));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "{0} of the largest length")
  @CsvSource({"ticketType, 100", "description, 10000", "assignee, 200", "content, 10000"})
  void theLimitsThemselvesAreFine(String field, int length) {
    assertEquals(length, constructor(field).apply("x".repeat(length)).value().length());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"description", "ticketType", "content"})
  void textIsKeptAsGiven(String field) {
    assertEquals("  two\nlines\t", constructor(field).apply("  two\nlines\t").value());
  }

  @org.junit.jupiter.api.Test
  void aBlankDescriptionIsTextTooAndAnAssigneeLosesTheSpacesAroundIt() {
    assertEquals(" ", new Description(" ").value());
    assertEquals("alice", new Assignee("  alice ").value());
    assertEquals(new Assignee("alice"), new Assignee(" alice"));
  }

  @org.junit.jupiter.api.Test
  void inJsonEachIsAPlainString() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals("\"customer-issue\"", json.writeValueAsString(TicketType.CUSTOMER_ISSUE));
    assertEquals(new Assignee("bob"), json.readValue("\" bob \"", Assignee.class));
    assertEquals(new IssueContent("bug"), json.readValue("\"bug\"", IssueContent.class));
    assertEquals("bug", new IssueContent("bug").asDescription().value());
  }

  private static Function<String, Text> constructor(String field) {
    return switch (field) {
      case "ticketType" -> TicketType::new;
      case "description" -> Description::new;
      case "assignee" -> Assignee::new;
      case "content" -> IssueContent::new;
      default -> throw new IllegalArgumentException(field);
    };
  }
}
