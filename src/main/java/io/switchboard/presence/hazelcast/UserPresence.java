package io.switchboard.presence.hazelcast;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;

/** One online user in the cluster map: open sessions per node, and the rooms they are in. */
final class UserPresence implements Serializable {

  private static final long serialVersionUID = 1L;

  final HashMap<String, Integer> sessionsByNode = new HashMap<>();
  final HashSet<String> rooms = new HashSet<>();

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
