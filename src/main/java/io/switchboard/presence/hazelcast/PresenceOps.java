package io.switchboard.presence.hazelcast;

import com.hazelcast.map.EntryProcessor;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Entry processors: each runs atomically on the partition that owns the key, so two nodes opening
 * a first session for the same user at once cannot both (or neither) see themselves as first.
 */
final class PresenceOps {

  private PresenceOps() {
  }

  /** A session opened on {@code node}; answers whether the user was offline before. */
  static final class Opened implements EntryProcessor<String, UserPresence, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String node;
    private final HashSet<String> rooms;

    Opened(String node, Collection<String> rooms) {
      this.node = node;
      this.rooms = new HashSet<>(rooms);
    }

    @Override
    public Boolean process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue() == null ? new UserPresence() : e.getValue();
      boolean first = !p.online();
      p.sessionsByNode.merge(node, 1, Integer::sum);
      p.rooms.addAll(rooms);
      e.setValue(p);
      return first;
    }
  }

  /**
   * Sessions closed on {@code node} ({@code all}: every session of that node, which died). Answers
   * the user's rooms when this made the user offline, null otherwise.
   */
  static final class Closed implements EntryProcessor<String, UserPresence, HashSet<String>> {
    private static final long serialVersionUID = 1L;
    private final String node;
    private final boolean all;

    Closed(String node, boolean all) {
      this.node = node;
      this.all = all;
    }

    @Override
    public HashSet<String> process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null || !p.sessionsByNode.containsKey(node)) {
        return null;
      }
      int left = all ? 0 : p.sessionsByNode.get(node) - 1;
      if (left > 0) {
        p.sessionsByNode.put(node, left);
      } else {
        p.sessionsByNode.remove(node);
      }
      if (p.online()) {
        e.setValue(p);
        return null;
      }
      e.setValue(null);
      return p.rooms;
    }
  }

  /** The user joined ({@code add}) or left a room; answers whether the user is online. */
  static final class Room implements EntryProcessor<String, UserPresence, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String room;
    private final boolean add;

    Room(String room, boolean add) {
      this.room = room;
      this.add = add;
    }

    @Override
    public Boolean process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null) {
        return false;
      }
      boolean changed = add ? p.rooms.add(room) : p.rooms.remove(room);
      if (changed) {
        e.setValue(p);
      }
      return true;
    }
  }

  /** Adds or removes a user in a room's online set. */
  static final class Online implements EntryProcessor<String, HashSet<String>, Void> {
    private static final long serialVersionUID = 1L;
    private final String user;
    private final boolean add;

    Online(String user, boolean add) {
      this.user = user;
      this.add = add;
    }

    @Override
    public Void process(Map.Entry<String, HashSet<String>> e) {
      Set<String> users = e.getValue();
      if (add) {
        HashSet<String> next = users == null ? new HashSet<>() : new HashSet<>(users);
        if (next.add(user)) {
          e.setValue(next);
        }
      } else if (users != null && users.contains(user)) {
        HashSet<String> next = new HashSet<>(users);
        next.remove(user);
        e.setValue(next.isEmpty() ? null : next);
      }
      return null;
    }
  }
}
