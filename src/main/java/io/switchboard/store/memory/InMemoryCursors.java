package io.switchboard.store.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Cursors per user, device and stream. Device names come from clients, so each user keeps the
 * {@link #MAX_DEVICES_PER_USER} devices that acked most recently; an older one starts over at the heads.
 */
final class InMemoryCursors {

  static final int MAX_DEVICES_PER_USER = 32;

  private final Map<String, LinkedHashMap<String, Map<String, Long>>> byUser = new HashMap<>();

  synchronized Map<String, Long> cursors(String user, String device, Iterable<String> streams) {
    LinkedHashMap<String, Map<String, Long>> devices = byUser.get(user);
    Map<String, Long> stored = devices == null ? null : devices.get(device);
    Map<String, Long> out = new HashMap<>();
    if (stored != null) {
      for (String s : streams) {
        Long seq = stored.get(s);
        if (seq != null) {
          out.put(s, seq);
        }
      }
    }
    return out;
  }

  synchronized void save(String user, String device, String stream, long seq, boolean reset) {
    LinkedHashMap<String, Map<String, Long>> devices = byUser.computeIfAbsent(user, u -> new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Map<String, Long>> eldest) {
        return size() > MAX_DEVICES_PER_USER;
      }
    });
    // re-inserted at every ack, so the order is by last ack (reads do not count as use)
    Map<String, Long> cursors = devices.remove(device);
    if (cursors == null) {
      cursors = new HashMap<>();
    }
    if (reset) {
      cursors.put(stream, seq);
    } else {
      cursors.merge(stream, seq, Math::max);
    }
    devices.put(device, cursors);
  }
}
