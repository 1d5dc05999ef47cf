package org.example.helpdesk.customer.events;

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
 * The consuming stream as the actor of a sharded daemon process: started with the actor, restarted
 * with backoff when it fails, stopped when the daemon process moves it ({@link Control#STOP}) or
 * the actor stops. What is unacked when it stops goes back to the queue, in order. (The
 * backoffice's inbox has the same in its own StreamDaemon.)
 */
final class ConsumerDaemon {

  /** Tells the daemon's actor to stop its stream. */
  enum Control {
    STOP,
    STOPPED
  }

  private ConsumerDaemon() {}

  static Behavior<Control> behavior(
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
