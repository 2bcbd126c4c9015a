package io.switchboard.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading while messages flow to it: the node queues at most its bound, cuts
 * the client off with 1013 once the bound has held for the grace, and the client gets everything
 * on reconnect, once and in order.
 */
class SlowConsumerTest {

  private static final int BOUND = 64 * 1024;
  private static final int GRACE_MS = 1500;
  private static final int BODY_CHARS = 16 * 1024;
  /** Far more than the bound plus both loopback socket buffers, so the queue must fill. */
  private static final int MESSAGES = 1200;

  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject()
      .put("limits", new JsonObject().put("maxOutboundBytes", BOUND).put("slowConsumerMs", GRACE_MS)
          .put("messagesPerSecond", 100_000).put("messagesBurst", 100_000))
      .put("retention", new JsonObject().put("maxMessages", 10_000)));
  /** Same bound, but a grace no pause of the intermittent reader reaches. */
  @RegisterExtension
  static final SharedNode PATIENT = new SharedNode(new JsonObject()
      .put("limits", new JsonObject().put("maxOutboundBytes", BOUND).put("slowConsumerMs", 600_000)
          .put("messagesPerSecond", 100_000).put("messagesBurst", 100_000))
      .put("retention", new JsonObject().put("maxMessages", 100_000)));

  @Test
  void aClientThatStopsReadingIsCutOffWithBoundedMemoryAndResumesWithoutLoss() {
    String stream = "user:slow-bob";
    String body = "x".repeat(BODY_CHARS);
    MeterRegistry registry = NODE.node().services().metrics().registry();
    Gauge queued = registry.get(GatewayMetrics.OUTBOUND_QUEUED).gauge();
    double closesBefore = closedTryAgainLater(registry);

    WsClient bob = NODE.node().login("slow-bob");
    bob.pause();
    double maxQueued = 0;
    try (WsClient alice = NODE.node().login("flood-alice")) {
      for (int i = 1; i <= MESSAGES; i++) {
        JsonObject sent = alice.sendTo(stream, body, "m" + i);
        // the sender is never held up by the slow reader: every send is stored and acknowledged
        assertEquals("sent", sent.getString("type"), sent.encode());
        assertEquals(i, sent.getLong("seq"));
        maxQueued = Math.max(maxQueued, queued.value());
      }
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (closedTryAgainLater(registry) == closesBefore && System.nanoTime() < deadline) {
        maxQueued = Math.max(maxQueued, queued.value());
        LockSupport.parkNanos(20_000_000);
      }
      assertEquals(closesBefore + 1, closedTryAgainLater(registry), "the reader that stopped was not closed with 1013");
      // bound, plus the frame that crossed it and a close frame
      assertTrue(maxQueued <= BOUND + 2 * (BODY_CHARS + 256), "outbound queue grew to " + maxQueued + " bytes");
      assertTrue(registry.get(GatewayMetrics.WITHHELD).tag("type", "message").counter().count() > 0);

      // the node goes on serving everyone else meanwhile
      try (WsClient carol = NODE.node().login("slow-carol")) {
        alice.sendTo("user:slow-carol", "still here", null);
        assertEquals("still here", carol.messages("user:slow-carol", 1).get(0).getString("body"));
      }
    }

    // what reached bob before the cut: a prefix of the stream, in order
    bob.resume();
    bob.awaitClose();
    long seen = 0;
    for (JsonObject f : bob.drain()) {
      if ("message".equals(f.getString("type")) && stream.equals(f.getString("stream"))) {
        assertEquals(seen + 1, f.getLong("seq"), "out of order or duplicated before the cut");
        seen++;
      }
    }
    bob.close();
    System.out.printf("slow consumer: outbound queue peaked at %.0f bytes (bound %d); %d of %d read before the cut%n",
        maxQueued, BOUND, seen, MESSAGES);
    assertTrue(seen < MESSAGES, "bob read everything: the test never made him slow");

    try (WsClient back = NODE.node().connect()) {
      back.hello(Tokens.user("slow-bob").sign(), null, new JsonObject().put(stream, seen));
      List<JsonObject> rest = new ArrayList<>(back.messages(stream, (int) (MESSAGES - seen)));
      for (int i = 0; i < rest.size(); i++) {
        assertEquals(seen + 1 + i, rest.get(i).getLong("seq"));
        assertEquals(BODY_CHARS, rest.get(i).getString("body").length());
      }
      JsonObject resumed = back.await(f -> "resumed".equals(f.getString("type")) && stream.equals(f.getString("stream")));
      assertEquals(seen + 1, resumed.getLong("from"));
      assertEquals(MESSAGES, resumed.getLong("to"));
      // nothing twice: a ping's pong is the next frame on this stream's connection
      back.send(new JsonObject().put("type", "ping").put("ref", "p"));
      back.await(f -> "pong".equals(f.getString("type")));
      for (JsonObject f : back.drain()) {
        assertTrue(!"message".equals(f.getString("type")), "delivered twice: " + f.encode());
      }
    }
  }

  @Test
  void aReaderThatKeepsPausingGetsEverythingOnceAndInOrderOnTheSameConnection() throws Exception {
    String stream = "user:halting-dora";
    String body = "y".repeat(4096);
    MeterRegistry registry = PATIENT.node().services().metrics().registry();
    WsClient dora = PATIENT.node().login("halting-dora");
    java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    List<JsonObject> got = new ArrayList<>();
    try (WsClient alice = PATIENT.node().login("steady-alice")) {
      java.util.concurrent.CompletableFuture<Void> sender = java.util.concurrent.CompletableFuture.runAsync(() -> {
        for (int i = 1; i <= 40_000 && sending.get(); i++) {
          JsonObject ack = alice.sendTo(stream, body, null);
          assertEquals(i, ack.getLong("seq"), ack.encode());
          sent.set(i);
        }
      });
      // the reader stops until the node holds messages back, then reads until it has caught up with
      // what had been sent by then (its queue drained), several times over
      for (int round = 0; round < 4; round++) {
        double before = withheldMessages(registry);
        dora.pause();
        long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
        while (withheldMessages(registry) == before && System.nanoTime() < deadline && !sender.isDone()) {
          LockSupport.parkNanos(10_000_000);
        }
        if (sender.isCompletedExceptionally()) {
          sender.join(); // its failure, not a misleading one here
        }
        assertTrue(withheldMessages(registry) > before, "round " + round + ": the queue never reached its bound");
        long target = sent.get();
        dora.resume();
        while (got.isEmpty() || got.get(got.size() - 1).getLong("seq") < target) {
          got.addAll(dora.messages(stream, 1));
        }
      }
      sending.set(false);
      sender.get(WsClient.WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } finally {
      sending.set(false);
      dora.resume();
    }
    int messages = (int) sent.get();
    got.addAll(dora.messages(stream, messages - got.size()));
    for (int i = 0; i < messages; i++) {
      assertEquals(i + 1, got.get(i).getLong("seq"));
    }
    assertTrue(dora.drain().stream().noneMatch(f -> "gap".equals(f.getString("type")) || "message".equals(f.getString("type"))));
    assertTrue(!dora.isClosed(), "closed with " + dora.closeReason());
    System.out.printf("halting reader: %d messages, %.0f held back at a full queue and re-read from the log%n",
        messages, withheldMessages(registry));
    dora.close();
  }

  private static double withheldMessages(MeterRegistry registry) {
    Counter c = registry.find(GatewayMetrics.WITHHELD).tag("type", "message").counter();
    return c == null ? 0 : c.count();
  }

  private static double closedTryAgainLater(MeterRegistry registry) {
    Counter c = registry.find(GatewayMetrics.CLOSES).tag("code", "1013").counter();
    return c == null ? 0 : c.count();
  }
}
