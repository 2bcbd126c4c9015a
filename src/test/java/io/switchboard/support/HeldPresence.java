package io.switchboard.support;

import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Presence registries whose counting of a chosen user's next session waits until the test lets it
 * go: the moment between a hello asking to be counted and being counted, held open.
 */
public final class HeldPresence implements UnaryOperator<PresenceRegistry> {

  /** One held count: {@link #asked} completes when the session asks to be counted. */
  public static final class Hold {
    private final CompletableFuture<Void> asked = new CompletableFuture<>();
    private final Promise<Void> released = Promise.promise();

    public CompletableFuture<Void> asked() {
      return asked;
    }

    public void release() {
      released.tryComplete();
    }
  }

  private final Map<String, Hold> holds = new ConcurrentHashMap<>();

  /** Holds the next count of a session of {@code user}, on whichever node it connects. */
  public Hold hold(String user) {
    Hold hold = new Hold();
    holds.put(user, hold);
    return hold;
  }

  @Override
  public PresenceRegistry apply(PresenceRegistry registry) {
    return new ForwardingPresence(registry) {
      @Override
      public Future<Opened> sessionOpened(String session, String user, Collection<String> rooms) {
        Hold hold = holds.remove(user);
        if (hold == null) {
          return inner.sessionOpened(session, user, rooms);
        }
        Context context = Vertx.currentContext();
        Promise<Opened> counted = Promise.promise();
        hold.released.future().onComplete(v -> context.runOnContext(x ->
            inner.sessionOpened(session, user, rooms).onComplete(counted)));
        hold.asked.complete(null);
        return counted.future();
      }
    };
  }
}
