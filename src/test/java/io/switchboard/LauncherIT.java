package io.switchboard;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

import io.switchboard.support.Ports;
import io.switchboard.support.RedisServer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fat jar as an operator runs it: {@code java -jar target/switchboard.jar}. */
class LauncherIT {

  static final Duration START = Duration.ofSeconds(90);
  /** A production-looking node: with a secret there is not even the dev-mode banner. */
  static final String SECRET = "launcher-it-secret-0123456789abcdefghij";
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void withNoConfigurationItStartsInDevModeServingTheDemo() throws Exception {
    int port = Ports.free();
    try (Node node = Node.start(List.of(), Map.of("SB_HTTP_PORT", String.valueOf(port)))) {
      awaitReady(node, port);
      assertEquals(200, get(port, "/").statusCode());
      assertTrue(get(port, "/dev/token?user=alice").body().contains("\"token\""));
      assertTrue(node.log().contains("DEV MODE"), "the dev banner is shown");
      // Micrometer's warning about Vert.x's per-address event-bus gauges is dropped (Nodes)
      assertFalse(node.log().contains("already registered"), node.log());
    }
  }

  @Test
  void sigtermClosesSessionsWithAReconnectHintAnd1012ThenExits() throws Exception {
    int port = Ports.free();
    try (Node node = Node.start(List.of(), Map.of("SB_HTTP_PORT", String.valueOf(port)))) {
      awaitReady(node, port);
      String token = new io.vertx.core.json.JsonObject(get(port, "/dev/token?user=alice").body()).getString("token");
      LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
          frames.add(data.toString());
          socket.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
          closed.complete(status);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
      ws.sendText("{\"type\":\"hello\",\"token\":\"" + token + "\"}", true).get(10, TimeUnit.SECONDS);
      assertTrue(frames.poll(10, TimeUnit.SECONDS).contains("\"welcome\""));

      node.process.destroy();

      String reconnect = null;
      for (String f = frames.poll(10, TimeUnit.SECONDS); f != null && reconnect == null; f = frames.poll(10, TimeUnit.SECONDS)) {
        reconnect = f.contains("\"reconnect\"") ? f : null;
      }
      assertTrue(reconnect != null, "a reconnect hint before the close");
      assertEquals(1012, closed.get(10, TimeUnit.SECONDS));
      assertEquals(0, node.exitCode());
    }
  }

  @Test
  void aBadSettingStopsItWithAMessageNamingTheKey() throws Exception {
    try (Node node = Node.start(List.of(), Map.of("SB_HTTP_PORT", "eighty"))) {
      assertEquals(78, node.exitCode());
      assertTrue(node.log().contains("http.port"), node.log());
    }
    try (Node node = Node.start(List.of("-conf", "conf/config.json"), Map.of())) {
      assertEquals(78, node.exitCode());
      assertTrue(node.log().contains("auth.jwtSecret"), node.log());
    }
  }

  /** The Vert.x launcher alone would warn and start on the defaults: in-memory, on 127.0.0.1. */
  @Test
  void aConfFileThatIsMissingOrNotJsonStopsIt() throws Exception {
    try (Node node = Node.start(List.of("-conf", "conf/no-such-config.json"), Map.of("SB_JWT_SECRET", SECRET))) {
      assertEquals(78, node.exitCode());
      assertTrue(node.log().contains("-conf: conf/no-such-config.json: no such file"), node.log());
    }
    Path broken = Files.createTempFile("switchboard-broken", ".json");
    Files.writeString(broken, "{\"store\": {\"type\": \"redis\"},}");
    try (Node node = Node.start(List.of("-conf", broken.toString()), Map.of("SB_JWT_SECRET", SECRET))) {
      assertEquals(78, node.exitCode());
      assertTrue(node.log().contains(broken + " is not a JSON object"), node.log());
    } finally {
      Files.delete(broken);
    }
  }

  @Test
  void withClusterItFormsAOneMemberClusterOnRedis() throws Exception {
    int port = Ports.free();
    try (RedisServer redis = RedisServer.ephemeral().start();
         Node node = Node.start(List.of("-cluster"), Map.of("SB_HTTP_PORT", String.valueOf(port),
             "SB_REDIS_URL", redis.url(), "SB_CLUSTER_NAME", "launcher-it", "SB_CLUSTER_PORT", "26701"))) {
      awaitReady(node, port);
      assertTrue(node.log().contains("Members {size:1"), "Hazelcast member list in the log");
      // Switchboard uses no CP data structure: Hazelcast's warning about them only alarms
      assertFalse(node.log().contains("CP Subsystem"), node.log());
    }
  }

  @Test
  void aClusteredNodeRefusesTheInMemoryStore() throws Exception {
    try (Node node = Node.start(List.of("-cluster"), Map.of("SB_STORE", "memory", "SB_CLUSTER_NAME", "launcher-it-mem",
        "SB_CLUSTER_PORT", "26801"))) {
      assertEquals(78, node.exitCode());
      assertTrue(node.log().contains("store.type: a clustered node cannot use the in-memory store"), node.log());
    }
  }

  private void awaitReady(Node node, int port) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!node.process.isAlive()) {
        throw new AssertionError("node exited with " + node.process.exitValue() + ":\n" + node.log());
      }
      try {
        if (get(port, "/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      node.process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("not ready within " + START + ":\n" + node.log());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A node process with a clean environment (no SB_* from the machine running the build). */
  static final class Node implements AutoCloseable {
    final Process process;
    final Path output;

    private Node(Process process, Path output) {
      this.process = process;
      this.output = output;
    }

    static Node start(List<String> args, Map<String, String> env) throws IOException {
      String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
      List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-jar", jar));
      command.addAll(args);
      Path output = Files.createTempFile("switchboard-node", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
      pb.environment().putAll(env);
      return new Node(pb.start(), output);
    }

    int exitCode() throws InterruptedException {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "process did not exit");
      return process.exitValue();
    }

    String log() throws IOException {
      return Files.readString(output);
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(output);
    }

    private static String javaBin() {
      return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
  }
}
