package io.switchboard.routing;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Consumers of streams that only this node's own deliveries reach (user streams of a
 * {@link RoutedStreamBus}), each run on the context that registered it. Kept here rather than as
 * local event-bus consumers: Vert.x hands even a local-only registration of a clustered bus to a
 * worker thread and back, and a connect and a disconnect would each pay that.
 */
final class LocalStreams {

  private record Consumer(Context context, Handler<Delivery> handler) {
  }

  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer>> byStream = new ConcurrentHashMap<>();

  /** Registers {@code handler} on the caller's context; the returned action removes it. */
  Runnable add(String stream, Handler<Delivery> handler) {
    Consumer c = new Consumer(Vertx.currentContext(), handler);
    byStream.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>()).add(c);
    return () -> byStream.computeIfPresent(stream, (s, list) -> {
      list.remove(c);
      return list.isEmpty() ? null : list;
    });
  }

  /** Hands the delivery to every consumer of its stream on this node, each on its own context. */
  void deliver(Delivery d) {
    CopyOnWriteArrayList<Consumer> list = byStream.get(d.stream());
    if (list == null) {
      return;
    }
    for (Consumer c : list) {
      if (c.context == null || Vertx.currentContext() == c.context) {
        c.handler.handle(d);
      } else {
        c.context.runOnContext(v -> c.handler.handle(d));
      }
    }
  }

  /** Streams with at least one consumer here (for tests and metrics). */
  int size() {
    return byStream.size();
  }
}
