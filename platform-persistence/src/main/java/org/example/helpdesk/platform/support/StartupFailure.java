package org.example.helpdesk.platform.support;

/**
 * A node cannot start for a reason an operator can fix, said in words (and without secrets): an
 * invalid setting, a port in use, a database that refuses the node. Its {@code main} logs the
 * message alone (the stack trace only at DEBUG: it would only bury the reason) and exits with
 * {@link #exitStatus()}.
 */
public class StartupFailure extends RuntimeException {

  /** Exit status of a node whose settings are invalid (nothing was started). */
  public static final int INVALID_SETTINGS = 2;

  /** Exit status of a node that could not start otherwise (port in use, database refused). */
  public static final int COULD_NOT_START = 1;

  private final int exitStatus;

  public StartupFailure(String message, int exitStatus) {
    super(message);
    this.exitStatus = exitStatus;
  }

  public StartupFailure(String message, int exitStatus, Throwable cause) {
    super(message, cause);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
