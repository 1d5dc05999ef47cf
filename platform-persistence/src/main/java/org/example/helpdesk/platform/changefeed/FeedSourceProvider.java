package org.example.helpdesk.platform.changefeed;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;

/**
 * One tag of a {@link CommitOrderedFeed} as the source of a Pekko Projection; the projection stores
 * the {@link FeedPosition} of what it handled as its (text) offset.
 */
public final class FeedSourceProvider<T> extends SourceProvider<String, Change<T>> {

  private final CommitOrderedFeed<T> feed;
  private final String tag;

  public FeedSourceProvider(CommitOrderedFeed<T> feed, String tag) {
    this.feed = feed;
    this.tag = tag;
  }

  @Override
  public CompletionStage<Source<Change<T>, NotUsed>> source(
      Supplier<CompletionStage<Optional<String>>> offset) {
    return offset
        .get()
        .thenApply(
            stored ->
                feed.changes(tag, stored.map(FeedPosition::parse).orElse(FeedPosition.START)));
  }

  @Override
  public String extractOffset(Change<T> change) {
    return change.position().toString();
  }

  @Override
  public long extractCreationTime(Change<T> change) {
    return change.timestamp();
  }
}
