package io.switchboard.routing;

/** Receives a stream's deliveries on the event loop that attached it. */
public interface FeedListener {

  void onDelivery(Delivery delivery);
}
