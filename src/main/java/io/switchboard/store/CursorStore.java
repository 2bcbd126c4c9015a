package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Server-side read positions per (user, device, stream), advanced by client acks. A cursor does not
 * expire: however long a device stays away, its cursor says where it was, so it is told exactly what
 * the log lost meanwhile instead of being taken for a new device. What bounds them is the number of
 * devices kept per user (see the implementations).
 */
public interface CursorStore {

  /** Stored cursors of the given streams; streams without one are absent from the map. */
  Future<Map<String, Position>> cursors(String user, String device, Collection<String> streams);

  /**
   * Moves the cursor forward to {@code position}, never back: a position of a newer epoch replaces
   * any of an older one (the stream started over), one of an older epoch changes nothing.
   */
  Future<Void> saveCursor(String user, String device, String stream, Position position);

  /** The user's devices that have cursors (those kept: the most recently acking ones), in no set order. */
  Future<List<String>> devices(String user);
}
