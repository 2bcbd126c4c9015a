package io.switchboard;

import io.switchboard.presence.PresenceRegistry;
import io.switchboard.routing.StreamBus;
import io.switchboard.store.Store;

import java.time.Clock;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Parts of a node that a program embedding it may supply instead of the configured ones. The
 * launcher uses {@link #defaults()}; tests use the others to run real nodes with a shared store, a
 * clock they move, a bus that loses what they choose, or presence calls that fail or run twice.
 *
 * @param store a store shared by several nodes of one JVM, or null for the configured one (the node
 *              does not close a store it was given)
 * @param clock "now" for every rule about the age of data: retention, idempotency windows, stream
 *              expiry, token expiry. Network timers (heartbeats, timeouts) keep the system clock.
 * @param bus      wraps the node's event-bus transport of deliveries (identity by default)
 * @param presence wraps the node's presence registry (identity by default)
 */
public record NodeParts(Store store, Clock clock, UnaryOperator<StreamBus> bus, UnaryOperator<PresenceRegistry> presence) {

  public NodeParts {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(presence, "presence");
  }

  public static NodeParts defaults() {
    return new NodeParts(null, Clock.systemUTC(), UnaryOperator.identity(), UnaryOperator.identity());
  }

  public NodeParts withStore(Store store) {
    return new NodeParts(store, clock, bus, presence);
  }

  public NodeParts withClock(Clock clock) {
    return new NodeParts(store, clock, bus, presence);
  }

  public NodeParts withBus(UnaryOperator<StreamBus> bus) {
    return new NodeParts(store, clock, bus, presence);
  }

  public NodeParts withPresence(UnaryOperator<PresenceRegistry> presence) {
    return new NodeParts(store, clock, bus, presence);
  }
}
