package io.switchboard.checker;

import io.switchboard.config.Setting;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TcpProxy;
import io.switchboard.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The system under test: one redis-server (AOF, fsync always, so a restart keeps every
 * acknowledged append) behind a counting proxy, and a few {@link CheckerNode} processes forming a
 * Hazelcast cluster on it. Faults are real: kill -9, SIGSTOP past the failure timeout, Redis stopped
 * and started, the nodes' clock moved (and Redis' key expiry with it).
 */
final class Cluster implements AutoCloseable {

  private final Contract contract;
  private final RedisServer redis;
  /** One per node, so that connection attempts can be told apart by node. */
  private final TcpProxy[] proxies;
  private final NodeHandle[] nodes;
  private final long[] startedAt;
  private final Path dir;
  private final String name = "checker-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  /** Below Linux's ephemeral range (32768+), so that outgoing connections never take a member's port. */
  private final int hazelcastPort = 10_000 + ThreadLocalRandom.current().nextInt(200) * 100;
  private final List<NodeHandle> everyNode = new ArrayList<>();
  private long clockOffset;
  private boolean redisDown;
  private long redisStartedAt;

  private Cluster(Contract contract) {
    this.contract = contract;
    this.nodes = new NodeHandle[contract.nodes];
    this.startedAt = new long[contract.nodes];
    try {
      this.dir = Files.createTempDirectory("checker-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.redis = RedisServer.withAof(RedisServer.Fsync.ALWAYS).start();
    this.proxies = new TcpProxy[contract.nodes];
    for (int i = 0; i < proxies.length; i++) {
      proxies[i] = new TcpProxy(redis.port());
    }
  }

  static Cluster start(Contract contract) {
    Cluster c = new Cluster(contract);
    try {
      // the first member forms the cluster, the others join it (started together they could form several)
      c.launch(0).awaitListening();
      for (int i = 1; i < c.nodes.length; i++) {
        c.launch(i);
      }
      for (int i = 1; i < c.nodes.length; i++) {
        c.nodes[i].awaitListening();
      }
      c.awaitHealthy(60_000);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private NodeHandle launch(int i) {
    Path config = dir.resolve("node-" + i + ".json");
    try {
      Files.writeString(config, config(i).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    startedAt[i] = System.currentTimeMillis();
    nodes[i] = NodeHandle.start(i, "n" + i, config, clockOffset);
    everyNode.add(nodes[i]);
    return nodes[i];
  }

  /**
   * Small on purpose: a retention of tens of messages and seconds, a failure timeout of a few seconds,
   * so that trimming, expiry and failure detection all happen within a run. Node 0 runs in dev mode
   * with the real secret (the README's cluster recipe): its dev tokens must not open sessions elsewhere.
   */
  private JsonObject config(int i) {
    JsonObject c = new JsonObject()
        .put("node", new JsonObject().put("name", "n" + i))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
        .put("auth", new JsonObject().put("jwtSecret", TestNode.SECRET).put("devMode", i == 0))
        .put("api", new JsonObject().put("keys", new JsonArray().add(Api.KEY)))
        .put("cluster", new JsonObject().put("name", name).put("port", hazelcastPort)
            .put("members", new JsonArray().add("127.0.0.1"))
            .put("failureTimeoutMs", Contract.FAILURE_TIMEOUT_MS).put("drainMs", 1000))
        .put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", new JsonArray().add(proxies[i].url())).put("timeoutMs", 1000)
            // one lane per node: its connection attempts follow one backoff schedule the checker can hold them to
            .put("poolSize", 1))
        .put("retention", new JsonObject().put("maxMessages", Contract.RETENTION_MESSAGES)
            .put("maxAgeSeconds", Contract.RETENTION_SECONDS))
        .put("protocol", new JsonObject().put("heartbeatMs", Contract.HEARTBEAT_MS).put("helloTimeoutMs", Contract.HELLO_TIMEOUT_MS))
        .put("presence", new JsonObject().put("maxListed", Contract.MAX_LISTED))
        .put("limits", new JsonObject().put("handshakesPerIpPerSecond", 100_000).put("maxConnectionsPerIp", 100_000)
            .put("messagesPerSecond", 5000).put("messagesBurst", 5000));
    // settings of fixes not merged yet are set only once the node knows them (an unknown key stops it)
    if (Setting.byKey("delivery.repairIntervalMs").isPresent()) {
      c.put("delivery", new JsonObject().put("repairIntervalMs", Contract.REPAIR_INTERVAL_MS));
    }
    return c;
  }

  int size() {
    return nodes.length;
  }

  NodeHandle node(int i) {
    return nodes[i];
  }

  Api api(int i) {
    return new Api(nodes[i].port());
  }

  /** A node that answers now: alive and not frozen, the lowest index first from {@code preferred}. */
  int anyUp(int preferred) {
    for (int k = 0; k < nodes.length; k++) {
      int i = (preferred + k) % nodes.length;
      if (up(i)) {
        return i;
      }
    }
    return -1;
  }

  boolean up(int i) {
    return nodes[i] != null && nodes[i].alive() && !nodes[i].frozen();
  }

  boolean redisDown() {
    return redisDown;
  }

  long clockOffset() {
    return clockOffset;
  }

  /** While Redis is down, each connection attempt is refused only after {@code ms}. */
  void slowRefusals(long ms) {
    for (TcpProxy p : proxies) {
      p.refuseAfter(ms);
    }
  }

  /** nanoTime of every connection attempt of node i that reached its Redis proxy. */
  List<Long> redisConnectionTimes(int i) {
    return proxies[i].acceptedAt();
  }

  // ---- faults ---------------------------------------------------------------------------------

  void kill(int i) {
    nodes[i].kill();
  }

  /** A new process in the place of a killed one (a new Hazelcast member: a node that restarted). */
  void restart(int i) {
    if (nodes[i].alive()) {
      nodes[i].kill();
    }
    launch(i).awaitListening();
  }

  void freeze(int i) {
    nodes[i].freeze();
  }

  void thaw(int i) {
    nodes[i].thaw();
  }

  void stopRedis() {
    redis.stop();
    redisDown = true;
  }

  void startRedis() {
    redis.start();
    redisDown = false;
    redisStartedAt = System.currentTimeMillis();
  }

  /** When Redis last came back (0: never went away); a node's lanes may back off up to 2 s after it. */
  long redisStartedAt() {
    return redisStartedAt;
  }

  /**
   * Moves every node's clock forward by {@code deltaMs}, and Redis' key expiry with it: a key that
   * would have expired by then is deleted, the others keep what is left of their time to live. Both
   * together are what the same span of real time would have done.
   */
  void moveClock(long deltaMs) {
    clockOffset += deltaMs;
    for (NodeHandle n : nodes) {
      if (n.alive()) {
        n.command("clock " + clockOffset);
      }
    }
    if (!redisDown) {
      redis.call("EVAL", AGE_KEYS, "0", String.valueOf(deltaMs));
    }
  }

  private static final String AGE_KEYS = """
      local d = tonumber(ARGV[1])
      for _, k in ipairs(redis.call('KEYS', 'sb:*')) do
        local t = redis.call('PTTL', k)
        if t > 0 then
          if t <= d then redis.call('DEL', k) else redis.call('PEXPIRE', k, t - d) end
        end
      end
      return 0
      """;

  /** One command to Redis itself, as an operator (or another client) would send it. */
  Object redis(String... args) {
    return redis.call(args);
  }

  String command(int i, String command) {
    return nodes[i].command(command);
  }

  /** Disarms every pending bus fault on every live node. */
  void clearFaults() {
    for (NodeHandle n : nodes) {
      if (n.alive() && !n.frozen()) {
        n.command("clear");
      }
    }
  }

  /** Undoes every lasting fault: thaws, restarts dead nodes, starts Redis; then waits for a whole cluster. */
  void heal(long timeoutMs) {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i].frozen()) {
        thaw(i);
      }
    }
    if (redisDown) {
      startRedis();
    }
    for (int i = 0; i < nodes.length; i++) {
      if (!nodes[i].alive()) {
        restart(i);
      }
    }
    awaitHealthy(timeoutMs);
  }

  /** Every node ready and listed by every other node in its current incarnation. */
  void awaitHealthy(long timeoutMs) {
    await("a whole cluster of " + nodes.length + " ready nodes", timeoutMs, this::healthy);
  }

  boolean healthy() {
    for (int i = 0; i < nodes.length; i++) {
      if (!up(i) || !api(i).ready().ok()) {
        return false;
      }
    }
    for (int i = 0; i < nodes.length; i++) {
      Api.Answer a = api(i).nodes();
      if (!a.ok() || a.json() == null) {
        return false;
      }
      Set<String> current = new HashSet<>();
      for (Object o : a.json().getJsonArray("nodes", new JsonArray())) {
        JsonObject n = (JsonObject) o;
        String nodeName = n.getString("name");
        int j = nodeName.startsWith("n") ? Integer.parseInt(nodeName.substring(1)) : -1;
        if (j >= 0 && j < nodes.length && n.getLong("startedAt", 0L) >= startedAt[j] - 1000) {
          current.add(nodeName);
        }
      }
      if (current.size() != nodes.length) {
        return false;
      }
    }
    return true;
  }

  List<String> describe() {
    List<String> out = new ArrayList<>();
    for (NodeHandle n : nodes) {
      out.add(n.name + " pid " + n.pid() + (n.alive() ? n.frozen() ? " frozen" : " up" : " dead") + " port " + n.port()
          + " log " + n.log());
    }
    return out;
  }

  static void await(String what, long timeoutMs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  @Override
  public void close() {
    for (NodeHandle n : nodes) {
      if (n != null) {
        n.close();
      }
    }
    for (TcpProxy p : proxies) {
      p.close();
    }
    redis.close();
  }

  /** Node logs are kept for a failed run (the report names them) and deleted otherwise. */
  void deleteLogs() {
    everyNode.forEach(NodeHandle::deleteLog);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
