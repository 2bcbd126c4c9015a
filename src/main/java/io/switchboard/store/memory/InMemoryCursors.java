package io.switchboard.store.memory;

import io.switchboard.store.Position;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cursors per user, device and stream. Device names come from clients, so each user keeps the
 * {@link #MAX_DEVICES_PER_USER} devices that acked most recently; an older one starts over at the heads.
 */
final class InMemoryCursors {

  static final int MAX_DEVICES_PER_USER = 32;

  private final Map<String, LinkedHashMap<String, Map<String, Position>>> byUser = new HashMap<>();

  synchronized Map<String, Position> cursors(String user, String device, Iterable<String> streams) {
    LinkedHashMap<String, Map<String, Position>> devices = byUser.get(user);
    Map<String, Position> stored = devices == null ? null : devices.get(device);
    Map<String, Position> out = new HashMap<>();
    if (stored != null) {
      for (String s : streams) {
        Position seq = stored.get(s);
        if (seq != null) {
          out.put(s, seq);
        }
      }
    }
    return out;
  }

  synchronized List<String> devices(String user) {
    LinkedHashMap<String, Map<String, Position>> devices = byUser.get(user);
    return devices == null ? List.of() : new ArrayList<>(devices.keySet());
  }

  synchronized void save(String user, String device, String stream, Position position) {
    LinkedHashMap<String, Map<String, Position>> devices = byUser.computeIfAbsent(user, u -> new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Map<String, Position>> eldest) {
        return size() > MAX_DEVICES_PER_USER;
      }
    });
    // re-inserted at every ack, so the order is by last ack (reads do not count as use)
    Map<String, Position> cursors = devices.remove(device);
    if (cursors == null) {
      cursors = new HashMap<>();
    }
    cursors.merge(stream, position, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    devices.put(device, cursors);
  }
}
