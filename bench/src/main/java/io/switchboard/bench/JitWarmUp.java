package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batches of --idle-warmup connects, each opened and closed on one process, until the JIT compilers
 * of every process of the kind nearly rest during two batches in a row, at most --warm-rounds
 * batches: a measured phase then meets nodes that have run for a while, not their compiling. A JVM
 * compiles a path fully only after some thousands of runs, so a single batch left most of a measured
 * phase's CPU to the compilers (on the other nodes too). Node.js's compiler threads are not told
 * apart: Socket.IO gets every batch, at least as many as Switchboard.
 */
final class JitWarmUp {

  /** JIT compiling below this, in CPU-ms per warm-up connect over every process, counts as done. */
  private static final double COMPILED_MS_PER_CONNECT = 0.05;

  private final BenchOptions o;
  private final Scenarios s;

  JitWarmUp(BenchOptions o, Scenarios s) {
    this.o = o;
    this.s = s;
  }

  /** Warms {@code target} up, watching the compilers of every process in {@code all}; prints and answers what it took. */
  JsonObject run(String kind, Servers.Server target, List<Servers.Server> all) {
    if (o.idleWarmup == 0) {
      return new JsonObject().put("batches", 0);
    }
    Map<String, List<Long>> compilers = new LinkedHashMap<>();
    if (kind.equals("sb")) {
      all.forEach(p -> compilers.put(CpuMeter.Threads.JIT.role(p.name()), List.of(p.pid())));
    }
    int batches = 0;
    int calm = 0;
    JsonArray jitByBatch = new JsonArray();
    while (batches < o.warmRounds) {
      CpuMeter jit = CpuMeter.start(compilers);
      s.warmUpConnectionsOnly(kind, List.of(target));
      batches++;
      if (compilers.isEmpty()) {
        continue;
      }
      JsonObject used = jit.msBeyond(new JsonObject());
      double perConnect = used.fieldNames().stream().mapToDouble(used::getDouble).sum() / o.idleWarmup;
      jitByBatch.add(Connects.round(perConnect));
      // two in a row: a batch alone may fall between two bursts of compiling
      calm = perConnect < COMPILED_MS_PER_CONNECT ? calm + 1 : 0;
      if (calm == 2) {
        break;
      }
    }
    System.out.printf(Locale.ROOT, "warm-up %s on %s: %d batches of %d connects%s%n", kind, target.name(), batches,
        o.idleWarmup, jitByBatch.isEmpty() ? "" : "; JIT CPU-ms per connect in each: " + jitByBatch.encode());
    JsonObject w = new JsonObject().put("batches", batches).put("connects", batches * o.idleWarmup);
    return jitByBatch.isEmpty() ? w : w.put("jitMsPerConnect", jitByBatch);
  }
}
