package io.switchboard.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A node as operators run it: {@code java -jar target/switchboard.jar [-cluster]} in a process of
 * its own, configured by environment variables only. It can be killed (SIGKILL) like a crashed
 * machine, or stopped (SIGTERM) like a deploy.
 */
public final class NodeProcess implements AutoCloseable {

  public static final Duration START = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int port;
  private final String name;

  private NodeProcess(Process process, Path log, int port, String name) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.name = name;
  }

  /**
   * The environment of a node of a process cluster of its own (a random name and port range, so test
   * classes never join each other) on {@code redisUrl}, with tokens signed by {@link TestNode#SECRET}.
   */
  public static Map<String, String> clusterEnv(String name, String redisUrl, String apiKey, int failureTimeoutMs) {
    Map<String, String> env = new HashMap<>();
    env.put("SB_JWT_SECRET", TestNode.SECRET);
    env.put("SB_REDIS_URL", redisUrl);
    env.put("SB_API_KEYS", apiKey);
    env.put("SB_CLUSTER_NAME", name + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
    env.put("SB_CLUSTER_PORT", String.valueOf(10_000 + ThreadLocalRandom.current().nextInt(200) * 100));
    env.put("SB_CLUSTER_MEMBERS", "127.0.0.1");
    env.put("SB_CLUSTER_FAILURE_TIMEOUT_MS", String.valueOf(failureTimeoutMs));
    return env;
  }

  /** Starts a node; call {@link #awaitReady()} before using it. */
  public static NodeProcess start(String name, List<String> args, Map<String, String> env) throws IOException {
    String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
    return launch(name, List.of("-jar", jar), args, env);
  }

  /**
   * Like {@link #start}, but the launcher runs from this JVM's class path (target/classes and the
   * dependencies) instead of the packaged jar, so a unit test can run a node process before
   * {@code mvn package}. Standalone nodes only: the jar's manifest opens what Hazelcast needs.
   */
  public static NodeProcess startFromClasspath(String name, List<String> jvmArgs, Map<String, String> env) throws IOException {
    List<String> main = new ArrayList<>(jvmArgs);
    main.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.switchboard.Launcher"));
    return launch(name, main, List.of(), env);
  }

  private static NodeProcess launch(String name, List<String> main, List<String> args, Map<String, String> env)
      throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC"));
    command.addAll(main);
    command.addAll(args);
    Path log = Files.createTempFile("switchboard-" + name + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
    pb.environment().put("SB_HTTP_HOST", "127.0.0.1");
    pb.environment().put("SB_HTTP_PORT", String.valueOf(port));
    pb.environment().put("SB_NODE_NAME", name);
    pb.environment().putAll(env);
    return new NodeProcess(pb.start(), log, port, name);
  }

  public NodeProcess awaitReady() throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (get("/health/ready").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError(name + " not ready within " + START + ":\n" + log());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build());
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
    return HTTP.send(request, body);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public int port() {
    return port;
  }

  public String name() {
    return name;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no drain, no goodbye, sockets reset, like a machine that died. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGSTOP: the process stops dead with its sockets open, like a JVM in a long GC pause or a stalled
   * VM. Callers must {@link #thaw()} in a finally block, or the process stays frozen.
   */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a frozen process runs again, unaware of the time it lost. */
  public void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM: the node drains and exits; returns the exit status. */
  public int stop(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + within);
    }
    return process.exitValue();
  }

  /** Waits for the process to end by itself; returns its exit status. */
  public int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running after " + within);
    }
    return process.exitValue();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Files.deleteIfExists(log);
  }

  public static int freePort() {
    return Ports.free();
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
