package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark harness (bench/, see docs/benchmarks.md) at tiny sizes, end to end: real server
 * processes (two Switchboard nodes from the fat jar with Redis, the raw baseline; two Socket.IO
 * processes when Node.js is here), generator processes, every scenario (connect too, which is not
 * in the default list). It checks the harness, not the figures: everything delivered, nothing lost
 * where nothing may be, every figure present.
 *
 * <p>The Socket.IO part needs Node.js 20+ and npm (it runs {@code npm ci} in bench/socketio): without
 * them it skips, unless {@code -Djs.required=true} (as in CI) makes that a failure.
 */
class BenchSmokeIT {

  private static final boolean JS_REQUIRED = Boolean.getBoolean("js.required");
  private static final Path SOCKETIO = Path.of("bench", "socketio").toAbsolutePath();

  @Test
  void switchboardAndRawBaseline() throws Exception {
    JsonObject r = Bench.run(tiny("sb", "raw"));
    assertTrue(r.getJsonObject("errors").isEmpty(), "errors: " + r.getJsonObject("errors").encodePrettily());
    JsonObject idle = r.getJsonObject("idle").getJsonObject("sb");
    checkIdle(idle);
    // the node's heap dumped before and after, the dumps' anonymous objects charged to their holders
    JsonObject owners = idle.getJsonObject("heapOwners");
    assertTrue(owners != null && owners.getJsonArray("owners") != null && !owners.getJsonArray("owners").isEmpty(),
        "heap owners: " + owners);
    checkPointToPoint(r.getJsonObject("p2p").getJsonObject("sb"));
    checkFanout(r.getJsonObject("fanout").getJsonObject("sb"));
    checkFanout(r.getJsonObject("fanout").getJsonObject("raw"));
    JsonObject storm = r.getJsonObject("storm").getJsonObject("sb");
    checkStorm(storm);
    assertEquals(0L, storm.getLong("lost"), "Switchboard resumes: nothing acked may be lost " + storm.encode());
    assertEquals(0L, storm.getLong("duplicates"), storm.encode());
    checkConnects(r.getJsonObject("connect").getJsonObject("sb"), true);
    assertEquals(11, r.getJsonArray("targets").size());
    // the scale-out ran 1 and 2 nodes: both of its targets are judged from the run's shape, met or not
    for (String judged : List.of("Cluster CPU per connect ≤ 1 ms on 2 nodes", "Cluster CPU per connect grows ≤ 10% per doubling of nodes")) {
      JsonObject t = r.getJsonArray("targets").stream().map(JsonObject.class::cast)
          .filter(x -> x.getString("target").equals(judged)).findFirst().orElseThrow();
      assertTrue(Set.of("met", "not met").contains(t.getString("status")), t.encode());
    }
  }

  @Test
  void socketIo() throws Exception {
    requireNode();
    Process ci = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=warn").directory(SOCKETIO.toFile())
        .redirectErrorStream(true).start();
    String out = new String(ci.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    need(ci.waitFor(10, TimeUnit.MINUTES) && ci.exitValue() == 0, "`npm ci` in bench/socketio failed (no access to the npm registry?):\n" + out);
    JsonObject r = Bench.run(tiny("sio"));
    assertTrue(r.getJsonObject("errors").isEmpty(), "errors: " + r.getJsonObject("errors").encodePrettily());
    checkIdle(r.getJsonObject("idle").getJsonObject("sio"));
    checkPointToPoint(r.getJsonObject("p2p").getJsonObject("sio"));
    checkFanout(r.getJsonObject("fanout").getJsonObject("sio"));
    checkStorm(r.getJsonObject("storm").getJsonObject("sio"));
    checkConnects(r.getJsonObject("connect").getJsonObject("sio"), false);
  }

  /** 20 connections per process, 200 messages per phase, one worker. */
  private static BenchOptions tiny(String... servers) {
    BenchOptions o = new BenchOptions().quick();
    o.out = Path.of("target", "bench-smoke-" + String.join("-", servers)).toAbsolutePath();
    o.docs = null;
    o.jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar")).toAbsolutePath();
    o.socketio = SOCKETIO;
    o.servers = new TreeSet<>(Set.of(servers));
    o.nodeJvm = "-Xmx256m -XX:+UseSerialGC";
    o.workers = 1;
    o.idlePerProcess = 20;
    o.p2pRates = List.of(200);
    o.p2pSeconds = 1;
    o.p2pSenders = 5;
    o.p2pRecipients = 20;
    o.fanoutMembers = 20;
    o.fanoutRate = 10;
    o.fanoutSeconds = 1;
    o.stormClients = 20;
    o.stormRate = 50;
    o.connectConcurrency = 20;
    o.scenarios = new TreeSet<>(Set.of("idle", "p2p", "fanout", "connect", "storm"));
    o.connectClients = 20;
    o.connectRate = 20;
    o.connectSeconds = 1;
    o.resumeRooms = 3;
    o.nodes = List.of(1, 2);
    o.scaleClients = 20;
    o.scaleConcurrency = 10;
    o.scaleRepeats = 2;
    o.burstRepeats = 2;
    return o;
  }

  private static void checkIdle(JsonObject idle) {
    assertEquals(40L, idle.getLong("connected"), idle.encode());
    assertEquals(40L, idle.getLong("openAtMeasure"), idle.encode());
    assertTrue(idle.getDouble("connectRate") > 0, idle.encode());
    assertTrue(idle.getJsonObject("handshakeMs").getDouble("p99") > 0, idle.encode());
    for (Object p : idle.getJsonArray("perProcess")) {
      JsonObject after = ((JsonObject) p).getJsonObject("after");
      assertTrue(after.getLong("rss") > 0 && after.getLong("heap") > 0, "memory measured: " + p);
    }
  }

  private static void checkPointToPoint(JsonObject p2p) {
    JsonArray rates = p2p.getJsonArray("rates");
    assertEquals(1, rates.size());
    JsonObject r = rates.getJsonObject(0);
    assertEquals(200L, r.getLong("sent"), r.encode());
    assertEquals(200L, r.getLong("acked"), r.encode());
    assertEquals(200L, r.getLong("received"), r.encode());
    assertEquals(0L, r.getLong("lost"), r.encode());
    assertTrue(r.getDouble("deliveredPerSecond") > 0 && r.getJsonObject("latencyMs").getDouble("p99") > 0, r.encode());
  }

  private static void checkFanout(JsonObject f) {
    assertEquals(20L, f.getLong("members"), f.encode());
    assertEquals(10L, f.getLong("published"), f.encode());
    assertEquals(200L, f.getLong("received"), f.encode());
    assertEquals(0L, f.getLong("lost"), f.encode());
    assertTrue(f.getDouble("deliveredPerSecond") > 0 && f.getJsonObject("latencyMs").getDouble("p50") > 0, f.encode());
  }

  private static void checkStorm(JsonObject s) {
    assertEquals(20L, s.getLong("clients"), s.encode());
    assertEquals(20L, s.getLong("reconnected"), s.encode());
    assertTrue(s.getDouble("allResumedSeconds") > 0, s.encode());
    assertTrue(s.getLong("acked") > 0, s.encode());
    assertTrue(s.getJsonObject("warmUp").getInteger("batches") >= 1, "the survivor was not warmed up: " + s.encode());
  }

  /** Every phase of the connect scenario ran, every client connected, every figure is there. */
  private static void checkConnects(JsonObject c, boolean switchboard) {
    assertTrue(c != null && !c.containsKey("failedPhases"), "connect: " + (c == null ? null : c.encode()));
    for (String phase : switchboard ? List.of("burst", "fixedRate", "resume") : List.of("burst", "fixedRate", "scaleOutReference")) {
      JsonObject p = c.getJsonObject(phase);
      assertEquals(20L, p.getLong(phase.equals("resume") ? "resumed" : "connected"), phase + ": " + p.encode());
      assertTrue(p.getDouble("rate") > 0 && p.getJsonObject("helloMs").getDouble("p99") > 0, phase + ": " + p.encode());
      JsonObject cpu = p.getJsonObject("cpu").getJsonObject("perConnectMs");
      List<String> roles = switchboard
          ? List.of("receiving", "others", "redis", "cluster", "generator", "receivingHazelcast", "othersHazelcast",
              "receivingJit", "othersJit", "receivingGc", "othersGc")
          : List.of("receiving", "others", "redis", "cluster", "generator");
      for (String role : roles) {
        assertTrue(cpu.getValue(role) instanceof Number, phase + " CPU per connect of " + role + ": " + cpu.encode());
      }
    }
    JsonArray bursts = c.getJsonObject("burst").getJsonArray("repeats");
    assertEquals(2, bursts.size(), "a figure per burst: " + bursts.encode());
    for (Object b : bursts) {
      assertTrue(((JsonObject) b).getDouble("rate") > 0 && ((JsonObject) b).getDouble("helloP99Ms") > 0, "burst: " + bursts.encode());
    }
    double slower = bursts.stream().mapToDouble(b -> ((JsonObject) b).getDouble("rate")).min().orElseThrow();
    assertEquals(slower, c.getJsonObject("burst").getDouble("rate"), "the median of two bursts is the lower one: " + bursts.encode());
    assertEquals(20L, c.getJsonObject("fixedRate").getJsonObject("scheduledMs").getLong("count"), c.encode());
    assertTrue(c.getJsonObject("warmUp").getInteger("batches") >= 1, "connect warm-up: " + c.encode());
    if (switchboard) {
      assertEquals(20L, c.getJsonObject("resume").getLong("joined"), c.encode());
      assertTrue(c.getJsonObject("resume").getJsonObject("readyMs").getDouble("p99") > 0, c.encode());
      JsonArray sizes = c.getJsonObject("scaleOut").getJsonArray("sizes");
      assertEquals(2, sizes.size(), c.encode());
      for (Object x : sizes) {
        JsonObject size = (JsonObject) x;
        assertEquals(20L, size.getLong("connected"), size.encode());
        assertEquals(2, size.getJsonArray("repeats").size(), "a figure per burst: " + size.encode());
        JsonObject medians = size.getJsonObject("medianMs");
        assertTrue(medians.getValue("cluster") instanceof Number && medians.getValue("clusterLessJit") instanceof Number,
            "medians of the bursts: " + size.encode());
      }
      JsonArray growth = c.getJsonObject("scaleOut").getJsonArray("growth");
      assertEquals(1, growth.size(), c.encode());
      assertTrue(growth.getJsonObject(0).getValue("cpuLessJitPercent") instanceof Number, "growth less JIT: " + growth.encode());
    }
  }

  private static void requireNode() {
    String version = Bench.firstLine(List.of("node", "--version"));
    need(version.matches("v(2\\d|[3-9]\\d)\\..*"), "Node.js 20+ not found (`node --version`: " + version + ")");
    need(!Bench.firstLine(List.of("npm", "--version")).equals("unknown"), "npm not found");
  }

  private static void need(boolean ok, String message) {
    if (ok) {
      return;
    }
    if (JS_REQUIRED) {
      Assertions.fail(message + " — required because -Djs.required=true");
    }
    Assumptions.abort(message + " — skipping the Socket.IO part of the benchmark smoke test");
  }
}
