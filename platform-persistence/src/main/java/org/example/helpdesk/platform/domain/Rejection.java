package org.example.helpdesk.platform.domain;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An entity's "no" to a command, sent back in a {@code StatusReply.error}. It crosses the cluster
 * as JSON holding just its message: no stack trace, no cause (it is an answer, not a crash).
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class Rejection extends RuntimeException {

  protected Rejection(String message) {
    super(message, null, false, false);
  }

  @JsonProperty("message")
  @Override
  public String getMessage() {
    return super.getMessage();
  }

  /** Two rejections are the same answer when they are of one kind and say the same. */
  @Override
  public boolean equals(Object other) {
    return other != null
        && other.getClass() == getClass()
        && java.util.Objects.equals(((Rejection) other).getMessage(), getMessage());
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(getClass(), getMessage());
  }
}
