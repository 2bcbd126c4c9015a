package io.switchboard.support;

import io.switchboard.store.Position;
import io.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store, watched: how often each stream's log and head were read, and a chosen head read
 * whose answer waits until the test lets it go (the read itself happens at once, so what is stored
 * after it is above the head it answers). Wired in with {@code NodeParts.withStore(taps.wrap(store))}.
 */
public final class StoreTaps {

  /** One held head read: {@link #read} completes with the heads once Redis answered them. */
  public static final class Hold {
    private final String stream;
    private final CompletableFuture<Map<String, Position>> read = new CompletableFuture<>();
    private final Promise<Void> released = Promise.promise();

    private Hold(String stream) {
      this.stream = stream;
    }

    public CompletableFuture<Map<String, Position>> read() {
      return read;
    }

    public void release() {
      released.tryComplete();
    }
  }

  private final Map<String, AtomicInteger> logReads = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> headsAnswered = new ConcurrentHashMap<>();
  private volatile Hold hold;

  /** Holds the answer of the next head read that includes {@code stream}. */
  public Hold holdHeads(String stream) {
    Hold h = new Hold(stream);
    hold = h;
    return h;
  }

  /** Reads of the stream's log so far. */
  public int logReads(String stream) {
    AtomicInteger n = logReads.get(stream);
    return n == null ? 0 : n.get();
  }

  /** Head reads including the stream that were answered (held ones once released). */
  public int headReads(String stream) {
    AtomicInteger n = headsAnswered.get(stream);
    return n == null ? 0 : n.get();
  }

  public Store wrap(Store store) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
      Object result;
      try {
        result = method.invoke(store, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      switch (method.getName()) {
        case "read" -> count(logReads, (String) args[0]);
        case "heads" -> {
          @SuppressWarnings("unchecked")
          Collection<String> streams = (Collection<String>) args[0];
          @SuppressWarnings("unchecked")
          Future<Map<String, Position>> heads = (Future<Map<String, Position>>) result;
          Hold h = hold;
          if (h != null && streams.contains(h.stream)) {
            hold = null;
            return held(h, streams, heads);
          }
          heads.onComplete(ar -> streams.forEach(s -> count(headsAnswered, s)));
        }
        default -> { }
      }
      return result;
    });
  }

  private Future<Map<String, Position>> held(Hold h, Collection<String> streams, Future<Map<String, Position>> heads) {
    Promise<Map<String, Position>> later = Promise.promise();
    heads.onComplete(ar -> {
      if (ar.succeeded()) {
        h.read.complete(ar.result());
      } else {
        h.read.completeExceptionally(ar.cause());
      }
      h.released.future().onComplete(v -> {
        streams.forEach(s -> count(headsAnswered, s));
        later.handle(ar);
      });
    });
    return later.future();
  }

  private static void count(Map<String, AtomicInteger> counts, String stream) {
    counts.computeIfAbsent(stream, s -> new AtomicInteger()).incrementAndGet();
  }
}
