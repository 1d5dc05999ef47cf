package org.example.helpdesk.platform.changefeed;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "Something may have changed": raised by database notifications, awaited by a feed. A feed takes
 * {@link #next()} <em>before</em> it reads, and waits on it after: a notification that arrives
 * while it reads completes that future at once, so it is never lost.
 */
public final class ChangeSignal {

  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());

  /** Completes at the next {@link #raise()}. */
  public CompletableFuture<Void> next() {
    return next.get();
  }

  public void raise() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
