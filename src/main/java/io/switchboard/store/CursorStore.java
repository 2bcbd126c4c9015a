package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Map;

/** Server-side read positions per (user, device, stream), advanced by client acks. */
public interface CursorStore {

  /** Stored cursors of the given streams; streams without one are absent from the map. */
  Future<Map<String, Long>> cursors(String user, String device, Collection<String> streams);

  /** Moves the cursor forward to {@code seq}; never moves it back. */
  Future<Void> saveCursor(String user, String device, String stream, long seq);

  /**
   * Sets the cursor to {@code seq} even if that is lower: the stream started over (its history was
   * lost), so the old position points into a history that no longer exists.
   */
  Future<Void> resetCursor(String user, String device, String stream, long seq);
}
