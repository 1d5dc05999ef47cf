package org.example.helpdesk.platform.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What CompletionStage pipelines need beside Pekko's own utilities. */
public final class Futures {

  private Futures() {}

  /** The failure behind the wrappers that CompletableFuture puts around it. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
