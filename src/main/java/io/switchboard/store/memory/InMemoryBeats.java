package io.switchboard.store.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Node liveness beats for nodes sharing one in-memory store object (tests). Expiry runs on the
 * monotonic clock, not the store's {@link java.time.Clock}: tests move that one to age data, and
 * moving it must not kill nodes.
 */
final class InMemoryBeats {

  /** Node id to the {@link System#nanoTime()} its beat expires at. */
  private final Map<String, Long> expiries = new HashMap<>();

  synchronized void beat(String nodeId, long ttlMs) {
    expiries.put(nodeId, System.nanoTime() + ttlMs * 1_000_000);
  }

  synchronized Set<String> alive() {
    long now = System.nanoTime();
    expiries.values().removeIf(at -> at - now <= 0);
    return Set.copyOf(expiries.keySet());
  }

  synchronized void forget(String nodeId) {
    expiries.remove(nodeId);
  }
}
