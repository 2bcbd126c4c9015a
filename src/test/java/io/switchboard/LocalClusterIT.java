package io.switchboard;

import io.switchboard.support.Ports;
import io.switchboard.support.RedisServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/local-cluster.sh} as a user runs it, with every port and name changed from the
 * defaults: the settings given at start are the ones {@code status} shows and {@code node N} restarts
 * a node with, even when the environment says otherwise then. Redis is the script's own (the test
 * puts the tests' {@code redis-server} on its PATH); nginx only when the machine has one; the example
 * webhook receiver when Node.js is there (required with {@code -Djs.required=true}, as CI runs it).
 */
class LocalClusterIT {

  static final Path SCRIPT = Path.of("deploy/local-cluster.sh").toAbsolutePath();
  static final long START_TIMEOUT_S = 240;
  static final long STOP_TIMEOUT_S = 60;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final Map<String, String> env = new HashMap<>();
  Path runDir;

  @AfterEach
  void stopWhateverRuns() throws Exception {
    if (runDir == null) {
      return;
    }
    run(Map.of(), STOP_TIMEOUT_S, "stop");
    // the script's own stop failed or hung: the test must not leave node JVMs or Redis behind
    Path pids = runDir.resolve("pids");
    if (Files.isDirectory(pids)) {
      try (Stream<Path> files = Files.list(pids)) {
        files.forEach(f -> pid(f).ifPresent(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly)));
      }
    }
  }

  @Test
  void portsAndNamesGivenAtStartAreUsedAndRememberedForStatusAndRestart() throws Exception {
    int redisPort = Ports.free();
    List<Integer> nodePorts = List.of(Ports.free(), Ports.free(), Ports.free());
    int lbPort = Ports.free();
    String cluster = "lc-it-" + ProcessHandle.current().pid();
    Path bin = Files.createTempDirectory("local-cluster-bin");
    Files.createSymbolicLink(bin.resolve("redis-server"), RedisServer.binary());
    runDir = Files.createTempDirectory("local-cluster-it").resolve("run");

    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("SWITCHBOARD_LOCAL_DIR", runDir.toString());
    int webhookPort = Ports.free();
    boolean receiver = nodeJsPresent();
    Map<String, String> settings = Map.of(
        "WEBHOOK_RECEIVER", receiver ? "1" : "0",
        "WEBHOOK_PORT", String.valueOf(webhookPort),
        "REDIS_PORT", String.valueOf(redisPort),
        "NODE_PORTS", nodePorts.get(0) + " " + nodePorts.get(1) + " " + nodePorts.get(2),
        "LB_PORT", String.valueOf(lbPort),
        "SB_CLUSTER_NAME", cluster,
        "NODE_NAME_PREFIX", "edge-",
        "START_TIMEOUT", "120");

    Result start = run(settings, START_TIMEOUT_S, "--detach");
    assertEquals(0, start.status, start.output);
    assertTrue(start.output.contains("\"" + cluster + "\""), start.output);
    String apiKey = Files.readString(runDir.resolve("api-key")).trim();
    assertEquals(Set.of("edge-1", "edge-2", "edge-3"), nodeNames(nodePorts.get(0), apiKey));
    assertTrue(redisAnswers(redisPort), "the script's Redis listens on REDIS_PORT " + redisPort);
    if (receiver) {
      // a message to a user with no session: the nodes' webhook reaches the example receiver, which
      // logs the push it would send
      HttpResponse<String> sent = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + nodePorts.get(1) + "/api/v1/streams/user:ghost/messages"))
          .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"body\":{\"text\":\"are you there?\"}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, sent.statusCode(), sent.body());
      Path log = runDir.resolve("logs/webhook-receiver.log");
      RedisServer.await("the receiver to log the push", 60_000,
          () -> Files.exists(log) && readQuietly(log).contains("PUSH to ghost"));
    }

    // a later command in another terminal: none of the settings in the environment
    Result status = run(Map.of(), 30, "status");
    assertEquals(0, status.status, status.output);
    assertTrue(status.output.contains("redis://127.0.0.1:" + redisPort), status.output);
    for (int i = 0; i < 3; i++) {
      assertTrue(status.output.contains("edge-" + (i + 1) + "  pid"), status.output);
      assertTrue(status.output.contains("ready      http://127.0.0.1:" + nodePorts.get(i) + "/"), status.output);
    }

    // node 3 dies; started again from a terminal where REDIS_PORT says something else, it still
    // joins this run's Redis and cluster on its own port
    ProcessHandle third = ProcessHandle.of(pid(runDir.resolve("pids/node-3")).orElseThrow()).orElseThrow();
    third.destroyForcibly();
    third.onExit().get(30, TimeUnit.SECONDS);
    RedisServer.await("the cluster to see edge-3 gone", 90_000,
        () -> !nodeNames(nodePorts.get(0), apiKey).contains("edge-3"));
    Result restart = run(Map.of("REDIS_PORT", String.valueOf(Ports.free())), START_TIMEOUT_S, "node", "3");
    assertEquals(0, restart.status, restart.output);
    assertTrue(restart.output.contains("REDIS_PORT=") && restart.output.contains("ignored"), restart.output);
    assertEquals(Set.of("edge-1", "edge-2", "edge-3"), nodeNames(nodePorts.get(2), apiKey));
    assertTrue(ready(nodePorts.get(2)), "edge-3 ready: its store is this run's Redis");

    Result stop = run(Map.of(), STOP_TIMEOUT_S, "stop");
    assertEquals(0, stop.status, stop.output);
    for (int port : nodePorts) {
      assertFalse(ready(port), "nothing answers on " + port + " after stop");
    }
    assertFalse(redisAnswers(redisPort), "Redis stopped");
  }

  @Test
  void aSettingThatIsNotAPortStopsTheStartNamingIt() throws Exception {
    runDir = Files.createTempDirectory("local-cluster-it").resolve("run");
    env.put("SWITCHBOARD_LOCAL_DIR", runDir.toString());
    Result start = run(Map.of("NODE_PORTS", "8081 80x2"), 30, "--detach");
    assertEquals(1, start.status, start.output);
    assertTrue(start.output.contains("'80x2' is not a port"), start.output);
  }

  record Result(int status, String output) {
  }

  /** Node.js for the example receiver: missing, the test runs without it, unless CI requires it. */
  static boolean nodeJsPresent() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return true;
      }
    } catch (IOException | InterruptedException e) {
      // not there
    }
    if (Boolean.getBoolean("js.required")) {
      throw new AssertionError("node not found, and -Djs.required=true");
    }
    return false;
  }

  static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  Result run(Map<String, String> extra, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().putAll(extra);
    Path out = Files.createTempFile("local-cluster", ".out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  Set<String> nodeNames(int port, String apiKey) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/nodes"))
          .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      Set<String> names = new TreeSet<>();
      JsonArray nodes = new JsonObject(r.body()).getJsonArray("nodes");
      nodes.forEach(n -> names.add(((JsonObject) n).getString("name")));
      return names;
    } catch (IOException | InterruptedException e) {
      return Set.of();
    }
  }

  boolean ready(int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static boolean redisAnswers(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[7];
      int n = s.getInputStream().read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  static Optional<Long> pid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
