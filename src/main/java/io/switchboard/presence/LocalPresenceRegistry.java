package io.switchboard.presence;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Presence of one node, shared by its event loops under one lock (every operation is tiny). */
public final class LocalPresenceRegistry implements PresenceRegistry {

  private final Map<String, Set<String>> sessionsByUser = new HashMap<>();
  /** Insertion-ordered, so that listing the first few of a large room does not scan it. */
  private final Map<String, LinkedHashSet<String>> onlineByRoom = new HashMap<>();

  @Override
  public synchronized Future<Opened> sessionOpened(String session, String user, Collection<String> rooms) {
    Set<String> sessions = sessionsByUser.computeIfAbsent(user, u -> new HashSet<>(2));
    boolean first = sessions.add(session) && sessions.size() == 1;
    if (!first) {
      return Future.succeededFuture(new Opened(false, null));
    }
    Map<String, Integer> counts = new HashMap<>();
    rooms.forEach(room -> {
      LinkedHashSet<String> online = onlineByRoom.computeIfAbsent(room, r -> new LinkedHashSet<>());
      online.add(user);
      counts.put(room, online.size());
    });
    return Future.succeededFuture(new Opened(true, counts));
  }

  @Override
  public synchronized Future<Closed> sessionClosed(String session, String user, Collection<String> rooms) {
    Set<String> sessions = sessionsByUser.get(user);
    if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
      sessionsByUser.remove(user);
      rooms.forEach(room -> removeOnline(room, user));
      return Future.succeededFuture(Closed.WENT_OFFLINE);
    }
    if (sessions == null) {
      rooms.forEach(room -> removeOnline(room, user));
      return Future.succeededFuture(Closed.WAS_OFFLINE);
    }
    return Future.succeededFuture(Closed.STILL_ONLINE);
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
    Set<String> online = onlineByRoom.getOrDefault(room, new LinkedHashSet<>());
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
    Set<String> sessions = sessionsByUser.get(user);
    return Future.succeededFuture(sessions == null ? 0 : sessions.size());
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
