package io.switchboard.client.internal;

import org.json.JSONObject;

import java.util.concurrent.ScheduledFuture;

/** What {@link Requests} and {@link Streams} need of the engine's connection and loop. */
interface Link {
  /** Welcomed, with a socket: frames may go. */
  boolean ready();

  void send(JSONObject frame);

  ScheduledFuture<?> schedule(Runnable task, long delayMs);

  /** Runs {@code task} on the loop thread. */
  void onLoop(Runnable task);

  /** Takes one frame from the client's rate budget, if there is one. */
  boolean takeBudget(long now);

  /** Positions changed: write them soon. */
  void schedulePersist();

  /** Writes the outbox to the store now. */
  void saveOutbox();

  /** The session receives {@code stream} (listed in its welcome, or joined since). */
  boolean follows(String stream);
}
