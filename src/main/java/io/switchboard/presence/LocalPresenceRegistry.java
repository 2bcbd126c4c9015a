package io.switchboard.presence;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Presence of one node, shared by its event loops under one lock (every operation is tiny). */
public final class LocalPresenceRegistry implements PresenceRegistry {

  private final Map<String, Integer> sessionsByUser = new HashMap<>();
  private final Map<String, Set<String>> onlineByRoom = new HashMap<>();

  @Override
  public synchronized Future<Boolean> sessionOpened(String user, Collection<String> rooms) {
    int n = sessionsByUser.merge(user, 1, Integer::sum);
    if (n == 1) {
      rooms.forEach(room -> onlineByRoom.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(user));
    }
    return Future.succeededFuture(n == 1);
  }

  @Override
  public synchronized Future<Boolean> sessionClosed(String user, Collection<String> rooms) {
    Integer n = sessionsByUser.get(user);
    if (n == null) {
      return Future.succeededFuture(false);
    }
    if (n > 1) {
      sessionsByUser.put(user, n - 1);
      return Future.succeededFuture(false);
    }
    sessionsByUser.remove(user);
    rooms.forEach(room -> removeOnline(room, user));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> joined(String room, String user) {
    if (sessionsByUser.containsKey(user)) {
      onlineByRoom.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(user);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> left(String room, String user) {
    removeOnline(room, user);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<RoomPresence> room(String room, int limit) {
    Set<String> online = onlineByRoom.getOrDefault(room, Set.of());
    List<String> users = new ArrayList<>(Math.min(limit, online.size()));
    for (String u : online) {
      if (users.size() >= limit) {
        break;
      }
      users.add(u);
    }
    return Future.succeededFuture(new RoomPresence(users, online.size()));
  }

  @Override
  public synchronized Future<Integer> sessions(String user) {
    return Future.succeededFuture(sessionsByUser.getOrDefault(user, 0));
  }

  @Override
  public synchronized Future<Boolean> isOnline(String user) {
    return Future.succeededFuture(sessionsByUser.containsKey(user));
  }

  private void removeOnline(String room, String user) {
    Set<String> online = onlineByRoom.get(room);
    if (online != null && online.remove(user) && online.isEmpty()) {
      onlineByRoom.remove(room);
    }
  }
}
