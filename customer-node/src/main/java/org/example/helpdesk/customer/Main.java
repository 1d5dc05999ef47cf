package org.example.helpdesk.customer;

import com.typesafe.config.ConfigFactory;
import org.example.helpdesk.platform.logging.Logging;

/** {@code java -jar customer-node.jar}: one node of the Customer Service. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // a standalone node exits when its actor system stops, e.g. after leaving the cluster
    // (a node that cannot start logs why, without secrets, and exits with status 1)
    Logging.startOrExit(
        () ->
            CustomerNode.start(
                ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on")));
  }
}
