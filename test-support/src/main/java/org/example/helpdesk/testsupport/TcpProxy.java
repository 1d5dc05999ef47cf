package org.example.helpdesk.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP hop between a node and a dependency that a test can cut (every connection closed, new ones
 * refused: the dependency is unreachable), black-hole (connections stay open and new ones are
 * accepted, but nothing gets through in either direction: the dependency hangs) and restore,
 * without touching the dependency itself or anything else that uses it.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  /** Connections that were open while black-holed: closed on restore (bytes were lost). */
  private final Set<Socket> swallowed = ConcurrentHashMap.newKeySet();

  private final Object gate = new Object();
  private volatile ServerSocket server;
  private volatile boolean blackHoled;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      this.port = probe.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    restore();
  }

  public int port() {
    return port;
  }

  /** The dependency is gone: open connections drop, new ones are refused. */
  public synchronized void cut() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
    swallowed.forEach(TcpProxy::closeQuietly);
    swallowed.clear();
    openGate();
  }

  /**
   * The dependency hangs: open connections stay open and new ones are accepted, but no byte goes
   * through in either direction any more (no reset, no close: silence). The proxy stops reading, so
   * that a sender's buffers fill up as they would in front of a host that has vanished.
   */
  public synchronized void blackHole() {
    blackHoled = true;
    swallowed.addAll(sockets);
  }

  public boolean isBlackHoled() {
    return blackHoled;
  }

  /**
   * The dependency is back: after a cut, new connections are accepted again; after a black hole,
   * the connections that were open during it are closed (what they sent is lost) and new ones work.
   */
  public synchronized void restore() {
    if (blackHoled) {
      blackHoled = false;
      swallowed.forEach(
          s -> {
            closeQuietly(s);
            sockets.remove(s);
          });
      swallowed.clear();
      openGate();
    }
    if (server != null && !server.isClosed()) {
      return; // was black-holed, not cut: still listening
    }
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException("could not listen on " + port, e);
    }
    ServerSocket listening = server;
    Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void openGate() {
    synchronized (gate) {
      gate.notifyAll();
    }
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        if (blackHoled) {
          // accepted (the client's connect succeeds), then never answered nor read
          swallowed.add(client);
          sockets.add(client);
          if (!blackHoled) {
            restoredMeanwhile(client);
          }
          continue;
        }
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed by cut(), or the target refused: the client sees its connection end
      }
    }
  }

  private synchronized void restoredMeanwhile(Socket client) {
    if (!blackHoled && swallowed.remove(client)) {
      sockets.remove(client);
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while (!blackHoled && (n = in.read(buffer)) >= 0) {
                  if (blackHoled) {
                    break; // read after the black hole began: swallowed
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
                // black-holed: stop reading and stay silent until restore() or cut() closes both
                synchronized (gate) {
                  while (blackHoled && !from.isClosed() && !to.isClosed()) {
                    gate.wait(1_000);
                  }
                }
              } catch (IOException ignored) {
                // one side went away
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
                swallowed.remove(from);
                swallowed.remove(to);
              }
            },
            "tcp-proxy-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
  }
}
