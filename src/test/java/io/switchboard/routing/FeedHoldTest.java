package io.switchboard.routing;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.switchboard.store.memory.InMemoryStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A busy room's feed misses a seq and asks the log for it; the log is slow. Everything that arrives
 * meanwhile is held for reordering, but never more than {@link StreamFeed#MAX_HELD}: beyond it the
 * feed drops what comes (listeners read it from the log themselves), so a slow store cannot make a
 * node's memory grow with the rate of a room.
 */
class FeedHoldTest {

  /** The in-memory log, with reads that wait until the test lets them through. */
  static final class SlowLog implements MessageLog {
    final InMemoryStore store = new InMemoryStore(new StoreOptions().setRetentionMessages(10_000));
    final List<Promise<Void>> gates = new CopyOnWriteArrayList<>();

    @Override
    public Future<io.switchboard.store.AppendResult> append(AppendRequest request) {
      return store.append(request);
    }

    @Override
    public Future<ReadResult> read(String stream, long fromSeq, int limit) {
      Promise<Void> gate = Promise.promise();
      gates.add(gate);
      return gate.future().compose(v -> store.read(stream, fromSeq, limit));
    }

    @Override
    public Future<Map<String, Position>> heads(Collection<String> streams) {
      return store.heads(streams);
    }
  }

  @Test
  void whatAFeedHoldsWhileAFillIsInFlightIsBounded() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SlowLog log = new SlowLog();
      EventBusStreamBus bus = new EventBusStreamBus(vertx);
      Context context = vertx.getOrCreateContext();
      AtomicInteger dropped = new AtomicInteger();
      List<Long> emitted = new CopyOnWriteArrayList<>();
      CompletableFuture<FeedRegistry> ready = new CompletableFuture<>();
      context.runOnContext(v -> {
        FeedRegistry feeds = new FeedRegistry(context, bus, log, micros -> { }, 60_000, dropped::incrementAndGet);
        feeds.attach("room:busy", new FeedListener() {
          @Override
          public void onDelivery(Delivery d) {
            emitted.add(d.seq());
          }

          @Override
          public boolean behind(Position head) {
            return false;
          }
        }).onSuccess(x -> ready.complete(feeds));
      });
      FeedRegistry feeds = ready.get();

      List<StoredMessage> stored = new ArrayList<>();
      int total = 3 * StreamFeed.MAX_HELD;
      for (int i = 0; i < total; i++) {
        stored.add(log.append(new AppendRequest("room:busy", "alice", "1", null)).await().message());
      }
      bus.publish(Delivery.message(stored.get(0), 0));
      // seq 2 is lost on the bus: everything after it waits for the log, which does not answer yet
      for (int i = 2; i < total; i++) {
        bus.publish(Delivery.message(stored.get(i), 0));
      }
      awaitOnContext(context, () -> feeds.held("room:busy") + dropped.get() == total - 2);
      int held = onContext(context, () -> feeds.held("room:busy"));
      assertTrue(held <= StreamFeed.MAX_HELD, held + " deliveries held while the fill waits");
      assertEquals(total - 2 - held, dropped.get(), "what was not held was dropped, and counted");

      // the log answers: the feed emits in order what it can, without a hole and without a repeat
      log.gates.forEach(Promise::tryComplete);
      awaitOnContext(context, () -> {
        log.gates.forEach(Promise::tryComplete);
        return emitted.size() >= 2 && feeds.held("room:busy") == 0;
      });
      for (int i = 0; i < emitted.size(); i++) {
        assertEquals(i + 1, emitted.get(i), "emitted in order from seq 1: " + emitted.subList(0, Math.min(10, emitted.size())));
      }
    } finally {
      vertx.close().await();
    }
  }

  private static <T> T onContext(Context context, java.util.function.Supplier<T> read) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> out.complete(read.get()));
    return out.get();
  }

  private static void awaitOnContext(Context context, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!onContext(context, condition::getAsBoolean)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
