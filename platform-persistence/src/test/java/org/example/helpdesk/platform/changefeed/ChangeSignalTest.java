package org.example.helpdesk.platform.changefeed;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A write of one tag wakes the feeds of that tag, and whoever follows the whole table. */
class ChangeSignalTest {

  @Test
  void aNotificationNamingTagsWakesOnlyTheirFeeds() {
    ChangeSignal table = new ChangeSignal();
    CompletableFuture<Void> a = table.tag("a").next();
    CompletableFuture<Void> b = table.tag("b").next();
    CompletableFuture<Void> c = table.tag("c").next();
    CompletableFuture<Void> whole = table.next();

    ChangeNotifications.raise(table, "a,b");

    assertTrue(a.isDone());
    assertTrue(b.isDone());
    assertFalse(c.isDone(), "a feed of a tag nobody wrote sleeps on");
    assertTrue(whole.isDone(), "the table's followers hear of every write");
  }

  @Test
  void aNotificationWithoutTagsWakesEveryFeed() {
    ChangeSignal table = new ChangeSignal();
    CompletableFuture<Void> a = table.tag("a").next();
    CompletableFuture<Void> b = table.tag("b").next();

    ChangeNotifications.raise(table, "");

    assertTrue(a.isDone());
    assertTrue(b.isDone());
  }

  @Test
  void aWaitTakenBeforeTheRaiseIsWokenAndTheNextOneIsNot() {
    ChangeSignal table = new ChangeSignal();
    CompletableFuture<Void> before = table.tag("a").next();
    table.raise("a");
    CompletableFuture<Void> after = table.tag("a").next();

    assertTrue(before.isDone());
    assertFalse(after.isDone());
  }
}
