package org.example.helpdesk.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens connections to one broker. The client's own automatic recovery is off on purpose: a stream
 * stage fails when its connection drops and its owner restarts it with backoff, which keeps the
 * state of a stage (unacked deliveries, unconfirmed publishes) honest.
 */
public final class AmqpConnector {

  private final ConnectionFactory factory;
  private final String uri;
  private final String connectionName;
  private final Connections connections;

  /**
   * The connections of a connector and of those derived from it: how many were opened, and which
   * are open now (a node's readiness asks these instead of opening one).
   */
  private static final class Connections {
    final AtomicLong opened = new AtomicLong();
    final Set<Connection> open = ConcurrentHashMap.newKeySet();
  }

  public AmqpConnector(String uri, String connectionName) {
    this(uri, connectionName, 0, new Connections());
  }

  /**
   * @param maxInboundBodyBytes the largest message body a connection of this connector takes; the
   *     client closes the connection on a larger one (0: the client's default, 64 MiB)
   */
  private AmqpConnector(
      String uri, String connectionName, int maxInboundBodyBytes, Connections connections) {
    this.uri = uri;
    this.connectionName = connectionName;
    this.connections = connections;
    this.factory = new ConnectionFactory();
    String problem = uriProblem(uri);
    if (problem != null) {
      // never the client's defaults instead: it would take a port it cannot read for none at all
      // and connect as guest to the default host, port and virtual host
      throw new IllegalArgumentException("invalid AMQP URI " + redact(uri) + ": " + problem);
    }
    try {
      factory.setUri(uri);
    } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid AMQP URI: " + redact(uri), e);
    }
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setRequestedHeartbeat(10);
    factory.setConnectionTimeout(5_000);
    factory.setHandshakeTimeout(5_000);
    factory.setShutdownTimeout(2_000);
    // a channel operation (declare, qos, consume, cancel, close...) the broker does not answer
    // fails after 10 s instead of the client's default 10 minutes; a connection that went silent
    // altogether is closed after two missed heartbeats (about 20 s)
    factory.setChannelRpcTimeout(10_000);
    if (maxInboundBodyBytes > 0) {
      factory.setMaxInboundMessageBodySize(maxInboundBodyBytes);
    }
    factory.setExceptionHandler(
        new com.rabbitmq.client.impl.DefaultExceptionHandler() {
          @Override
          public void handleUnexpectedConnectionDriverException(
              Connection connection, Throwable exception) {
            if (AmqpSource.refusedAsTooLarge(exception)) {
              // expected: the consumer takes such a message aside (AmqpSource); no stack trace
              return;
            }
            super.handleUnexpectedConnectionDriverException(connection, exception);
          }
        });
  }

  /** The same broker, for connections that take message bodies of at most this many bytes. */
  public AmqpConnector withMaxInboundBodyBytes(int maxInboundBodyBytes) {
    return new AmqpConnector(uri, connectionName, maxInboundBodyBytes, connections);
  }

  public Connection newConnection() throws IOException, TimeoutException {
    Connection connection = factory.newConnection(connectionName);
    connections.opened.incrementAndGet();
    connections.open.add(connection);
    connection.addShutdownListener(cause -> connections.open.remove(connection));
    if (!connection.isOpen()) {
      connections.open.remove(connection); // (closed before the listener was added)
    }
    return connection;
  }

  /** Connections opened so far by this connector and those derived from it. */
  public long connectionsOpened() {
    return connections.opened.get();
  }

  /** Whether one of this connector's connections (or a derived one's) is open now. */
  public boolean hasOpenConnection() {
    for (Connection c : connections.open) {
      if (c.isOpen()) {
        return true;
      }
    }
    return false;
  }

  /** A short-lived channel for administrative work, e.g. declaring the topology at startup. */
  public void withChannel(ChannelAction action) throws IOException, TimeoutException {
    try (Connection connection = newConnection();
        Channel channel = connection.createChannel()) {
      action.run(channel);
    }
  }

  public String describe() {
    return "amqp://" + factory.getHost() + ":" + factory.getPort() + "/" + factory.getVirtualHost();
  }

  /**
   * What is wrong with an AMQP URI ({@code amqp[s]://user:password@host:port/vhost}), or null when
   * nothing is. The client's own parser ({@code ConnectionFactory.setUri}) takes an authority it
   * cannot read (e.g. {@code host:notaport}) for none and silently uses its defaults (guest,
   * localhost:5672): such a URI is refused here.
   */
  public static String uriProblem(String uri) {
    if (uri == null || uri.isBlank()) {
      return "empty";
    }
    java.net.URI parsed;
    try {
      parsed = new java.net.URI(uri.trim());
    } catch (URISyntaxException e) {
      return "not a URI (" + e.getReason() + ")";
    }
    String scheme = parsed.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("amqp") || scheme.equalsIgnoreCase("amqps"))) {
      return "the scheme must be amqp:// or amqps://";
    }
    if (parsed.getRawAuthority() == null) {
      return "no host (amqp://user:password@host:port/vhost)";
    }
    try {
      parsed = parsed.parseServerAuthority();
    } catch (URISyntaxException e) {
      int colon = parsed.getRawAuthority().lastIndexOf(':');
      int at = parsed.getRawAuthority().lastIndexOf('@');
      String port = colon > at ? parsed.getRawAuthority().substring(colon + 1) : "";
      return port.isEmpty() || port.chars().allMatch(Character::isDigit)
          ? "the host part cannot be read (" + e.getReason() + ")"
          : "the port '" + port + "' is not a number";
    }
    if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
      return "no host (amqp://user:password@host:port/vhost)";
    }
    if (parsed.getPort() != -1 && (parsed.getPort() < 1 || parsed.getPort() > 65535)) {
      return "the port " + parsed.getPort() + " is not between 1 and 65535";
    }
    String userInfo = parsed.getRawUserInfo();
    if (userInfo != null && (userInfo.isEmpty() || userInfo.startsWith(":"))) {
      return "a password without a user name";
    }
    String path = parsed.getRawPath();
    if (path != null && path.length() > 1 && path.indexOf('/', 1) >= 0) {
      return "the virtual host must be one path segment (%2f for /)";
    }
    return null;
  }

  /** Hides the password of a URI so that it can be logged. */
  public static String redact(String uri) {
    return uri == null ? null : uri.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
  }

  /** Work on a channel, such as declaring the topology. */
  @FunctionalInterface
  public interface ChannelAction {
    void run(Channel channel) throws IOException;
  }
}
