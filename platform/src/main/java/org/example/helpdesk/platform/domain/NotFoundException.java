package org.example.helpdesk.platform.domain;

/**
 * A command or query about something that does not exist. Entities reply with it in a
 * {@code StatusReply.error}; it crosses the cluster by class name and message, so it keeps a
 * public (String) constructor and no other state.
 */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message, null, false, false);
  }
}
