package io.switchboard.client;

import java.util.HashMap;
import java.util.Map;

/** A {@link ClientStore} in memory: positions and the outbox last as long as this object. */
public final class MemoryStore implements ClientStore {
  private final Map<String, String> values = new HashMap<String, String>();

  @Override
  public synchronized String get(String key) {
    return values.get(key);
  }

  @Override
  public synchronized void put(String key, String value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }
}
