package io.switchboard.store.memory;

import io.switchboard.store.Membership;
import io.switchboard.store.Position;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Both directions of membership, updated together under one lock so they never disagree. */
final class InMemoryMembership {

  private final Map<String, Set<String>> membersByRoom = new HashMap<>();
  private final Map<String, Map<String, Membership>> roomsByUser = new HashMap<>();

  synchronized boolean join(String room, String user, boolean granted, Position joinedAt) {
    roomsByUser.computeIfAbsent(user, u -> new HashMap<>()).merge(room, new Membership(granted, joinedAt),
        (old, now) -> new Membership(old.granted() || now.granted(), old.joinedAt()));
    return membersByRoom.computeIfAbsent(room, r -> new HashSet<>()).add(user);
  }

  synchronized boolean leave(String room, String user) {
    Map<String, Membership> rooms = roomsByUser.get(user);
    if (rooms != null && rooms.remove(room) != null && rooms.isEmpty()) {
      roomsByUser.remove(user);
    }
    return remove(membersByRoom, room, user);
  }

  synchronized Map<String, Membership> rooms(String user) {
    return Map.copyOf(roomsByUser.getOrDefault(user, Map.of()));
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
