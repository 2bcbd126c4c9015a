package io.switchboard.presence.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.query.Predicate;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Entry processors: each runs atomically on the partition that owns the key, so two nodes opening
 * a first session for the same user at once cannot both (or neither) see themselves as first.
 */
final class PresenceOps {

  /** An offline user's entry is kept this long, so its generation outlives late, stale updates. */
  static final long OFFLINE_TTL_MINUTES = 60;

  private PresenceOps() {
  }

  /** The user went offline: the rooms to clear and tell, and the generation that ended. */
  record Offline(HashSet<String> rooms, long generation) implements Serializable {
  }

  /** A session opened on {@code node}; answers the new generation if the user was offline, else 0. */
  static final class Opened implements EntryProcessor<String, UserPresence, Long> {
    private static final long serialVersionUID = 2L;
    private final String node;
    private final HashSet<String> rooms;

    Opened(String node, Collection<String> rooms) {
      this.node = node;
      this.rooms = new HashSet<>(rooms);
    }

    @Override
    public Long process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue() == null ? new UserPresence() : e.getValue();
      long first = 0;
      if (!p.online()) {
        p.rooms.clear();
        first = ++p.generation;
      }
      p.sessionsByNode.merge(node, 1, Integer::sum);
      p.rooms.addAll(rooms);
      ((ExtendedMapEntry<String, UserPresence>) e).setValue(p, -1, TimeUnit.SECONDS);
      return first;
    }
  }

  /**
   * Sessions closed on {@code node} ({@code all}: every session of that node, which died). Answers
   * {@link Offline} when this made the user offline, null otherwise.
   */
  static final class Closed implements EntryProcessor<String, UserPresence, Offline> {
    private static final long serialVersionUID = 2L;
    private final String node;
    private final boolean all;

    Closed(String node, boolean all) {
      this.node = node;
      this.all = all;
    }

    @Override
    public Offline process(Map.Entry<String, UserPresence> e) {
      return close(e, node, all);
    }
  }

  /** Every session of every node not in {@code live} (they died). Runs where the entries live. */
  static final class ClosedDead implements EntryProcessor<String, UserPresence, Offline> {
    private static final long serialVersionUID = 1L;
    private final HashSet<String> live;

    ClosedDead(Set<String> live) {
      this.live = new HashSet<>(live);
    }

    @Override
    public Offline process(Map.Entry<String, UserPresence> e) {
      Offline offline = null;
      UserPresence p = e.getValue();
      for (String node : new HashSet<>(p == null ? Set.of() : p.nodes())) {
        if (!live.contains(node)) {
          offline = close(e, node, true);
        }
      }
      return offline;
    }
  }

  /** Selects users with sessions on a node that is not in {@code live}. */
  static final class OnDeadNodes implements Predicate<String, UserPresence> {
    private static final long serialVersionUID = 1L;
    private final HashSet<String> live;

    OnDeadNodes(Set<String> live) {
      this.live = new HashSet<>(live);
    }

    @Override
    public boolean apply(Map.Entry<String, UserPresence> e) {
      return e.getValue() != null && !live.containsAll(e.getValue().nodes());
    }
  }

  private static Offline close(Map.Entry<String, UserPresence> e, String node, boolean all) {
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
    Offline offline = new Offline(new HashSet<>(p.rooms), p.generation);
    ((ExtendedMapEntry<String, UserPresence>) e).setValue(p, OFFLINE_TTL_MINUTES, TimeUnit.MINUTES);
    return offline;
  }

  /**
   * The user joined ({@code add}) or left a room; answers the current generation if the user is
   * online, else the negated last one (0 when unknown), so callers know both.
   */
  static final class Room implements EntryProcessor<String, UserPresence, Long> {
    private static final long serialVersionUID = 2L;
    private final String room;
    private final boolean add;

    Room(String room, boolean add) {
      this.room = room;
      this.add = add;
    }

    @Override
    public Long process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null) {
        return 0L;
      }
      if (!p.online()) {
        return -p.generation;
      }
      boolean changed = add ? p.rooms.add(room) : p.rooms.remove(room);
      if (changed) {
        e.setValue(p);
      }
      return p.generation;
    }
  }

  /**
   * Adds (or removes) a user to a room's online set for a generation: an add only replaces an older
   * generation, a removal only removes the same or an older one.
   */
  static final class Online implements EntryProcessor<String, HashMap<String, Long>, Void> {
    private static final long serialVersionUID = 2L;
    private final String user;
    private final long generation;
    private final boolean add;

    Online(String user, long generation, boolean add) {
      this.user = user;
      this.generation = generation;
      this.add = add;
    }

    @Override
    public Void process(Map.Entry<String, HashMap<String, Long>> e) {
      HashMap<String, Long> users = e.getValue() == null ? new HashMap<>() : e.getValue();
      Long current = users.get(user);
      if (add && (current == null || current < generation)) {
        users.put(user, generation);
        e.setValue(users);
      } else if (!add && current != null && current <= generation) {
        users.remove(user);
        e.setValue(users.isEmpty() ? null : users);
      }
      return null;
    }
  }
}
