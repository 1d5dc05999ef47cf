package org.example.helpdesk.platform.persistence;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import org.apache.pekko.persistence.journal.Tagged;
import org.example.helpdesk.platform.changefeed.ChangeNotifier;
import org.example.helpdesk.platform.changefeed.EventTagTable;
import org.example.helpdesk.platform.db.DatabaseSettings;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * pekko-persistence-jdbc's journal, which after every write it committed wakes the followers of the
 * events' tags ({@link ChangeNotifier}): the tickets read model's feed of a tag reads when that tag
 * was written, not by polling, and not when another tag was.
 */
public final class NotifyingJdbcJournal extends JdbcAsyncWriteJournal {

  private final ChangeNotifier followers;

  public NotifyingJdbcJournal(Config config) {
    super(config);
    followers =
        ChangeNotifier.start(
            DatabaseSettings.from(context().system().settings().config()),
            context().system().name(),
            EventTagTable.TABLE);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    Future<Seq<Try<BoxedUnit>>> written = super.asyncWriteMessages(messages);
    Set<String> tags = tagsOf(messages);
    FutureConverters.asJava(written).whenComplete((result, failure) -> followers.changed(tags));
    return written;
  }

  /** The tags of the events written; none known (empty) wakes the followers of every tag. */
  private static Set<String> tagsOf(Seq<AtomicWrite> messages) {
    Set<String> tags = new HashSet<>();
    for (AtomicWrite write : CollectionConverters.asJava(messages)) {
      for (PersistentRepr event : CollectionConverters.asJava(write.payload())) {
        if (event.payload() instanceof Tagged tagged && !tagged.tags().isEmpty()) {
          tags.addAll(CollectionConverters.asJava(tagged.tags()));
        } else {
          return Set.of();
        }
      }
    }
    return tags;
  }

  @Override
  public void postStop() {
    followers.close();
    super.postStop();
  }
}
