package io.switchboard.routing;

/** Records how long a live message took from its append to being written to local sockets. */
@FunctionalInterface
public interface DeliveryTimer {

  void fannedOut(long appendedAtMicros);
}
