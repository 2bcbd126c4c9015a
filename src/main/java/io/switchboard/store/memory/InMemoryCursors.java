package io.switchboard.store.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Cursors keyed by user and device; each device's map only grows by the streams it acked. */
final class InMemoryCursors {

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Long>> byDevice = new ConcurrentHashMap<>();

  Map<String, Long> cursors(String user, String device, Iterable<String> streams) {
    Map<String, Long> stored = byDevice.get(key(user, device));
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

  void save(String user, String device, String stream, long seq) {
    byDevice.computeIfAbsent(key(user, device), k -> new ConcurrentHashMap<>()).merge(stream, seq, Math::max);
  }

  private static String key(String user, String device) {
    return user + '\n' + device;
  }
}
