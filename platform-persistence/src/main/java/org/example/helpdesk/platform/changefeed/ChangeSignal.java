package org.example.helpdesk.platform.changefeed;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "Something may have changed": raised by database notifications, awaited by a feed. A feed takes
 * {@link #next()} <em>before</em> it reads, and waits on it after: a notification that arrives
 * while it reads completes that future at once, so it is never lost.
 *
 * <p>A table's signal has one child per tag ({@link #tag}): a notification that names its tags
 * wakes the feeds of those tags only (and whoever follows the whole table), so that the per-tag
 * feeds of a table do not all read on every write.
 */
public final class ChangeSignal {

  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());

  private final Map<String, ChangeSignal> tags = new ConcurrentHashMap<>();

  /** Completes at the next {@link #raise()}. */
  public CompletableFuture<Void> next() {
    return next.get();
  }

  /** The signal of one tag: raised by writes of that tag and by writes that name no tag. */
  public ChangeSignal tag(String tag) {
    return tags.computeIfAbsent(tag, t -> new ChangeSignal());
  }

  /** Something of any tag, or of unknown tags, changed. */
  public void raise() {
    fire();
    tags.values().forEach(ChangeSignal::fire);
  }

  /** Something of this tag changed. */
  public void raise(String tag) {
    fire();
    tag(tag).fire();
  }

  private void fire() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
