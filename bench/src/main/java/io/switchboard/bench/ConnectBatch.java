package io.switchboard.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What one worker's batch of connects measured: how many got ready, and how long each took from
 * its TCP open, from its hello (Socket.IO: its connect packet) to the welcome (the connect answer)
 * and to ready (the last room joined or stream resumed), and, when the batch is paced at a rate,
 * from the instant it was scheduled: that one counts the time a connect waited for the generator
 * or for the ones before it, which a latency from TCP open leaves out (coordinated omission).
 */
final class ConnectBatch {

  private final Histogram open = new Histogram();
  private final Histogram hello = new Histogram();
  private final Histogram helloReady = new Histogram();
  private final Histogram scheduled = new Histogram();
  private final Histogram lag = new Histogram();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final LongAccumulator lastReadyNs = new LongAccumulator(Math::max, 0);
  private final Promise<JsonObject> result = Promise.promise();
  private final int size;
  private final long startNs = System.nanoTime();

  ConnectBatch(int size) {
    this.size = size;
    if (size == 0) {
      result.complete(reply());
    }
  }

  /** @param scheduledNs when the connect was due (System.nanoTime), or 0 when it was not paced */
  void finished(Conn c, AsyncResult<Long> ar, long scheduledNs) {
    if (ar.succeeded()) {
      ok.incrementAndGet();
      open.record(ar.result());
      if (c.helloNs() > 0 && c.welcomeNs() > 0) {
        hello.record((c.welcomeNs() - c.helloNs()) / 1000);
        helloReady.record((c.readyNs() - c.helloNs()) / 1000);
      }
      if (scheduledNs > 0) {
        scheduled.record((c.readyNs() - scheduledNs) / 1000);
        lag.record((c.openNs() - scheduledNs) / 1000);
      }
      lastReadyNs.accumulate(c.readyNs());
    } else if (failed.incrementAndGet() <= 5) {
      System.err.println("[worker] connect failed: " + ar.cause());
    }
    if (finished.incrementAndGet() == size) {
      result.tryComplete(reply());
    }
  }

  /** Answers with what finished so far: the batch's deadline passed. */
  void timeOut() {
    result.tryComplete(reply().put("timedOut", true));
  }

  Future<JsonObject> future() {
    return result.future();
  }

  private JsonObject reply() {
    return new JsonObject().put("connected", ok.get()).put("failed", size - ok.get())
        .put("elapsedMs", (System.nanoTime() - startNs) / 1_000_000).put("startNs", startNs).put("lastReadyNs", lastReadyNs.get())
        .put("handshake", open.toJson()).put("hello", hello.toJson()).put("helloReady", helloReady.toJson())
        .put("scheduled", scheduled.toJson()).put("lag", lag.toJson());
  }
}
