package io.switchboard.store.memory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Both directions of membership, updated together under one lock so they never disagree. */
final class InMemoryMembership {

  private final Map<String, Set<String>> membersByRoom = new HashMap<>();
  private final Map<String, Set<String>> roomsByUser = new HashMap<>();

  synchronized boolean join(String room, String user) {
    roomsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(room);
    return membersByRoom.computeIfAbsent(room, r -> new HashSet<>()).add(user);
  }

  synchronized boolean leave(String room, String user) {
    remove(roomsByUser, user, room);
    return remove(membersByRoom, room, user);
  }

  synchronized Set<String> rooms(String user) {
    return Set.copyOf(roomsByUser.getOrDefault(user, Set.of()));
  }

  synchronized Set<String> members(String room) {
    return Set.copyOf(membersByRoom.getOrDefault(room, Set.of()));
  }

  private static boolean remove(Map<String, Set<String>> index, String key, String value) {
    Set<String> set = index.get(key);
    if (set == null || !set.remove(value)) {
      return false;
    }
    if (set.isEmpty()) {
      index.remove(key);
    }
    return true;
  }
}
