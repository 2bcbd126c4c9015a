package io.switchboard.presence.hazelcast;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;

/**
 * One user in the cluster map: open sessions per node, the rooms they are in, and the generation of
 * their current (or last) online period. The generation orders updates of a room's online set that
 * race each other: "offline" from one period must not undo "online" from the next.
 */
final class UserPresence implements Serializable {

  private static final long serialVersionUID = 2L;

  final HashMap<String, Integer> sessionsByNode = new HashMap<>();
  final HashSet<String> rooms = new HashSet<>();
  long generation;

  boolean online() {
    return !sessionsByNode.isEmpty();
  }

  Set<String> nodes() {
    return sessionsByNode.keySet();
  }

  int sessions() {
    return sessionsByNode.values().stream().mapToInt(Integer::intValue).sum();
  }
}
