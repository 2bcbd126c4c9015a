package io.switchboard.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.protocol.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a node says about itself in its directory entry, whatever its Redis and its cluster do. */
class NodeFiguresTest {

  final Vertx vertx = Vertx.vertx();
  final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
  final AtomicBoolean draining = new AtomicBoolean();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  NodeFigures figures(Supplier<Future<Void>> redis, Supplier<Future<Boolean>> inCluster) {
    return new NodeFigures(new NodeFigures.Sources(() -> "id-1", "node-1", 1_000, () -> "10.0.0.1:8080", metrics,
        draining::get, redis, inCluster, () -> 3));
  }

  NodeInfo refresh(NodeFigures f) throws Exception {
    return vertx.executeBlocking(() -> f.refresh().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).await();
  }

  @Test
  void aHealthyNodeIsReady() throws Exception {
    NodeInfo info = refresh(figures(() -> Future.succeededFuture(), () -> Future.succeededFuture(true)));
    assertEquals("ready", info.figures().getString("state"));
    assertEquals("up", info.figures().getString("redis"));
    assertEquals(3, info.figures().getInteger("members"));
    assertEquals("10.0.0.1:8080", info.figures().getString("address"));
    assertEquals("node-1", info.toJson().getString("name"));
    assertEquals(info.toJson(), NodeInfo.fromJson(info.toJson()).toJson(), "an entry survives the map");
  }

  @Test
  void redisThatFailsOrNeverAnswersIsDown() throws Exception {
    assertEquals("down", refresh(figures(() -> Future.failedFuture("refused"), () -> Future.succeededFuture(true)))
        .figures().getString("redis"));
    long start = System.nanoTime();
    NodeInfo frozen = refresh(figures(() -> Promise.<Void>promise().future(), () -> Future.succeededFuture(true)));
    assertEquals("down", frozen.figures().getString("redis"));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "a Redis that never answers does not hold up the entry");
  }

  @Test
  void stateSaysDrainingOrNotInTheCluster() throws Exception {
    NodeFigures cutOff = figures(null, () -> Future.succeededFuture(false));
    NodeInfo info = refresh(cutOff);
    assertEquals(NodeFigures.NOT_IN_CLUSTER, info.figures().getString("state"));
    assertEquals("none", info.figures().getString("redis"));
    draining.set(true);
    assertEquals(NodeFigures.DRAINING, refresh(cutOff).figures().getString("state"));
    assertEquals(NodeFigures.DRAINING, cutOff.live(info).figures().getString("state"));
  }

  @Test
  void ratesCountWhatCameSinceTheLastRefresh() throws Exception {
    NodeFigures f = figures(null, () -> Future.succeededFuture(true));
    refresh(f);
    for (int i = 0; i < 50; i++) {
      metrics.messageSent("room:a", true);
      metrics.frameOut(FrameType.MESSAGE);
      metrics.frameOut(FrameType.MESSAGE);
    }
    metrics.frameOut(FrameType.PONG);
    NodeInfo info = refresh(f);
    double in = info.figures().getDouble("messagesInPerSecond");
    double out = info.figures().getDouble("messagesOutPerSecond");
    assertTrue(in > 0 && Math.abs(out - 2 * in) <= 0.2 * out + 0.1, in + " in, " + out + " out");
    assertEquals(0.0, refresh(f).figures().getDouble("messagesInPerSecond"), 0.01);
  }
}
