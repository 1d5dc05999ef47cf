package org.example.helpdesk.customer;

import com.typesafe.config.ConfigFactory;

/** {@code java -jar customer-node.jar}: one node of the Customer Service. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // a standalone node exits when its actor system stops, e.g. after leaving the cluster
    CustomerNode.start(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"));
  }
}
