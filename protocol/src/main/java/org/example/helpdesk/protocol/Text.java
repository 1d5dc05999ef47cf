package org.example.helpdesk.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A piece of text with rules of its own (a ticket type, a description, an assignee, an issue's
 * content): it cannot hold a value that breaks them, and it is a plain string in every JSON.
 */
public interface Text {

  @JsonValue
  String value();
}
