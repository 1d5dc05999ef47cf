package org.example.helpdesk.platform.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a server could listen on a host and port now: tried by listening there for a moment.
 * Checked before anything starts, so that a port in use ends the start in a second with a clear
 * message, not after the database, the actor system and the projections started (and as a library's
 * stack trace). Someone may still take the port in between: the server's own bind failure is
 * reported the same way.
 */
public final class PortProbe {

  private PortProbe() {}

  /**
   * Null when {@code host:port} is free to listen on (or the port is 0: any free one), else what is
   * wrong, e.g. "127.0.0.1:5432 is in use".
   */
  public static String problem(String host, int port) {
    if (port == 0) {
      return null;
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      return host + ":" + port + ": no such host";
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
      return null;
    } catch (BindException e) {
      return host + ":" + port + " cannot be listened on: " + reason(e);
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return host + ":" + port + " cannot be listened on: " + e.getMessage();
    }
  }

  /** "in use", "not an address of this machine" ... from the operating system's error. */
  public static String reason(Throwable bindFailure) {
    String message = String.valueOf(bindFailure.getMessage());
    if (message.contains("in use")) {
      return "the port is in use (by another process?)";
    }
    if (message.contains("assign requested address")) {
      return "the host is not an address of this machine";
    }
    if (message.contains("Permission denied")) {
      return "permission denied (ports below 1024 need privileges)";
    }
    return message;
  }
}
