package org.example.helpdesk.platform.domain;

/**
 * A command the current state does not allow (e.g. assigning a cancelled ticket). Crosses the
 * cluster like {@link NotFoundException}.
 */
public class ConflictException extends RuntimeException {

  public ConflictException(String message) {
    super(message, null, false, false);
  }
}
