package org.example.helpdesk.platform.changefeed;

/**
 * Where a change feed stands: the writing transaction's id ({@code xid8}) and the row's own offset
 * within the table. Feeds read in this order, which is the order in which a reader can know that
 * nothing will ever appear before a position it has passed (see {@link CommitOrderedFeed}).
 *
 * <p>Stored as the projection's offset in its text form {@code "<transaction>:<offset>"}.
 */
public record FeedPosition(long transaction, long offset) implements Comparable<FeedPosition> {

  public static final FeedPosition START = new FeedPosition(0, 0);

  public FeedPosition {
    if (transaction < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "a feed position is never negative: " + transaction + ":" + offset);
    }
  }

  public static FeedPosition parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a feed position: '" + text + "'");
    }
    try {
      return new FeedPosition(
          Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a feed position: '" + text + "'", e);
    }
  }

  @Override
  public int compareTo(FeedPosition other) {
    int byTransaction = Long.compare(transaction, other.transaction);
    return byTransaction != 0 ? byTransaction : Long.compare(offset, other.offset);
  }

  @Override
  public String toString() {
    return transaction + ":" + offset;
  }
}
