package io.switchboard.client;

import java.io.IOException;

/**
 * Where the client keeps what must survive the process: stream positions and the outbox of sends
 * not yet confirmed. Two string values under keys the client chooses. Called only on the client's
 * background thread (never the callback executor), so an implementation may block on disk; it need
 * not be thread-safe towards the client. {@link #put} must be durable when it returns for the outbox
 * to survive a kill (SharedPreferences: {@code commit()}, not {@code apply()}).
 *
 * <p>{@link MemoryStore} (the default) lasts as long as the process; {@link FileStore} writes files;
 * an Android app implements this over SharedPreferences or Room (see the README).
 */
public interface ClientStore {
  /** @return the value stored under {@code key}, or null */
  String get(String key) throws IOException;

  /** Stores {@code value} under {@code key}; a null value removes the key. */
  void put(String key, String value) throws IOException;
}
