package io.switchboard.routing;

import io.switchboard.store.Position;

/** Receives a stream's deliveries on the event loop that attached it. */
public interface FeedListener {

  void onDelivery(Delivery delivery);

  /** Whether the listener has a position in the stream and has not received up to {@code head}. */
  boolean behind(Position head);
}
