package io.switchboard.routing;

import io.switchboard.store.Position;

/** Something that follows a stream and repairs itself from the log once told the stream's head. */
interface Watched {

  String stream();

  boolean isClosed();

  /** The stream's head as the store has it now. */
  void headRead(Position head);
}
