package io.switchboard.webhooks;

import java.time.Clock;

/** The queue contract on the in-memory queue of a standalone node. */
class InMemoryEventQueueTest extends EventQueueContract {

  @Override
  protected EventQueue queue(int cap, int deadLetterCap) {
    return new InMemoryEventQueue(cap, deadLetterCap, Clock.systemUTC());
  }
}
