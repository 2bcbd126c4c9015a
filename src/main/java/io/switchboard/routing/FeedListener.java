package io.switchboard.routing;

/** Receives a stream's deliveries on the event loop that attached it. */
public interface FeedListener {

  void onDelivery(Delivery delivery);

  /** The next seq this listener waits for, or {@link Long#MAX_VALUE} while it has no position yet. */
  long position();
}
