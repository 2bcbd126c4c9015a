package io.switchboard.presence;

import io.switchboard.config.PresenceOptions;
import io.switchboard.routing.Delivery;
import io.switchboard.routing.StreamBus;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the registry current and tells rooms when a member comes, goes, joins or leaves. */
public final class PresenceService {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);

  private final PresenceRegistry registry;
  private final StreamBus bus;
  private final PresenceOptions options;
  /** Registry calls not finished yet (a drain waits for them). */
  private final Set<Future<?>> pending = ConcurrentHashMap.newKeySet();

  public PresenceService(PresenceRegistry registry, StreamBus bus, PresenceOptions options) {
    this.registry = registry;
    this.bus = bus;
    this.options = options;
    // users whose node died went offline without closing: their rooms are told all the same
    registry.onLost((user, rooms) -> rooms.forEach(room -> announce(room, user, false)));
  }

  public PresenceRegistry registry() {
    return registry;
  }

  /** @return true when the user just came online (their rooms have been told) */
  public Future<Boolean> opened(String user, Collection<String> rooms) {
    return track(registry.sessionOpened(user, rooms).onSuccess(first -> {
      if (first) {
        rooms.forEach(room -> announce(room, user, true));
      }
    }));
  }

  public Future<Boolean> closed(String user, Collection<String> rooms) {
    return track(registry.sessionClosed(user, rooms).onSuccess(last -> {
      if (last) {
        rooms.forEach(room -> announce(room, user, false));
      }
    }));
  }

  public Future<Void> joined(String room, String user) {
    return track(registry.joined(room, user).onSuccess(v -> announce(room, user, true)));
  }

  public Future<Void> left(String room, String user) {
    return track(registry.left(room, user).onSuccess(v -> announce(room, user, false)));
  }

  /**
   * Completes once every presence update started so far is done, announcements included: a
   * draining node waits for it, or the offline of its last sessions could leave with the process.
   */
  public Future<Void> settled() {
    return Future.join(new ArrayList<>(pending)).mapEmpty();
  }

  private <T> Future<T> track(Future<T> f) {
    if (!f.isComplete()) {
      pending.add(f);
      f.onComplete(ar -> pending.remove(f));
    }
    return f;
  }

  /**
   * Online members of a room, listed up to presence.maxListed. Never fails: presence is best effort
   * and must not cost a join its answer, so an unreachable registry reads as an empty room.
   */
  public Future<RoomPresence> room(String room) {
    return registry.room(room, options.getMaxListed()).recover(e -> {
      LOG.warn("presence of room " + room + " unavailable: " + e.getMessage());
      return Future.succeededFuture(new RoomPresence(List.of(), 0));
    });
  }

  private void announce(String room, String user, boolean online) {
    track(registry.room(room, 0).onSuccess(p -> {
      if (p.count() <= options.getMaxRoomOnline()) {
        bus.publish(Delivery.presence(room, user, online));
      }
    }));
  }
}
