package org.example.helpdesk.platform.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A consuming stream (the backoffice's inbox partitions, the customer's inbox of ticket events) as
 * the actor of a sharded daemon process: started with the actor, restarted with backoff when it
 * fails, and stopped when the daemon process moves it ({@link Control#STOP}) or the actor stops.
 * What is in flight when it stops stays unacked, and the broker gives it to whoever consumes next.
 */
public final class StreamDaemon {

  /** Tells the daemon's actor to stop its stream. */
  public enum Control {
    STOP,
    STOPPED
  }

  private StreamDaemon() {}

  public static Behavior<Control> behavior(
      RestartSettings restart, Supplier<Source<Done, NotUsed>> stream, Runnable started) {
    return Behaviors.setup(
        context -> {
          Pair<UniqueKillSwitch, CompletionStage<Done>> running =
              RestartSource.withBackoff(restart, stream::get)
                  .viaMat(KillSwitches.single(), Keep.right())
                  .toMat(Sink.ignore(), Keep.both())
                  .run(context.getSystem());
          started.run();
          return Behaviors.receive(Control.class)
              .onMessageEquals(
                  Control.STOP,
                  () -> {
                    running.first().shutdown();
                    context.pipeToSelf(running.second(), (done, failure) -> Control.STOPPED);
                    return Behaviors.same();
                  })
              .onMessageEquals(Control.STOPPED, Behaviors::stopped)
              .onSignal(
                  PostStop.class,
                  signal -> {
                    running.first().shutdown();
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
