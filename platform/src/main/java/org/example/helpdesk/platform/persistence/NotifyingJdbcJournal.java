package org.example.helpdesk.platform.persistence;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import org.example.helpdesk.platform.changefeed.ChangeNotifier;
import org.example.helpdesk.platform.changefeed.EventTagTable;
import org.example.helpdesk.platform.config.DatabaseSettings;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * pekko-persistence-jdbc's journal, which after every write it committed wakes the followers of the
 * events' tags ({@link ChangeNotifier}): the tickets read model reads when woken, not by polling.
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
    FutureConverters.asJava(written).whenComplete((result, failure) -> followers.changed());
    return written;
  }

  @Override
  public void postStop() {
    followers.close();
    super.postStop();
  }
}
