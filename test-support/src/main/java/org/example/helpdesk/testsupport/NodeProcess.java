package org.example.helpdesk.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node as an operating-system process, started from its executable jar, so that a test can kill
 * it the hard way (SIGKILL: no shutdown hook, no goodbye to the cluster) or stop it politely.
 */
public final class NodeProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public final String name;
  public final int httpPort;
  private final Path jar;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;

  /**
   * @param root the repository's root folder; the node runs {@code
   *     <root>/<module>/target/<module>.jar}
   * @param log where its output goes
   */
  public NodeProcess(
      String name,
      Path root,
      String module,
      int httpPort,
      List<String> jvmOptions,
      Map<String, String> environment,
      Path log) {
    this.name = name;
    this.jar = root.resolve(module + "/target/" + module + ".jar");
    this.httpPort = httpPort;
    this.jvmOptions = jvmOptions;
    this.environment = environment;
    this.log = log;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public long pid() {
    return process.pid();
  }

  public NodeProcess start() {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: package the nodes first (mvn verify or mvn package)");
    }
    try {
      Files.createDirectories(log.getParent());
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command = new java.util.ArrayList<>();
      command.add(java);
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(jar.toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + name, e);
    }
  }

  /** Waits until the node is an Up member of its cluster and serves HTTP. */
  public NodeProcess awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + ", see "
                + log
                + "; it ended:\n"
                + tail(20));
      }
      if (status("/health") == 200) {
        return this;
      }
      sleep(200);
    }
    throw new IllegalStateException(name + " not healthy within " + timeout + ", see " + log);
  }

  public int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + path))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String get(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** SIGKILL: the JVM gets no chance to do anything. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM: coordinated shutdown, the node leaves its cluster. */
  public void stop() {
    process.destroy();
    waitFor();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  private void waitFor() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (isAlive()) {
      kill();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of the node's log, for a failure message that explains itself in CI. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
