package org.example.helpdesk.backoffice;

import com.typesafe.config.ConfigFactory;

/** {@code java -jar backoffice-node.jar}: one node of the Backoffice Service. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // a standalone node exits when its actor system stops, e.g. after leaving the cluster
    BackofficeNode.start(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"));
  }
}
