package io.switchboard.presence.hazelcast;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.query.Predicate;
import io.switchboard.presence.PresenceRegistry;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Entry processors: each runs atomically on the partition that owns the key, so two nodes opening
 * a first session for the same user at once cannot both (or neither) see themselves as first.
 *
 * <p>Every one of them may run twice for one call (Hazelcast retries an operation whose member left
 * before answering) and callers retry what failed: run twice, each leaves the entry as one run
 * does, and answers what the caller needs to finish the job the first run started.
 */
final class PresenceOps {

  /**
   * An offline user's entry, and an empty room's, is kept this long: its generation outlives late,
   * stale updates, and a cluster split shorter than this cannot bring back what was removed (the
   * merge policy only fills keys the larger half lacks).
   */
  static final long TOMBSTONE_MINUTES = 60;
  /** TTL argument of {@link ExtendedMapEntry#setValue(Object, long, TimeUnit)}: the map's own (none). */
  private static final long MAP_TTL = -1;

  private PresenceOps() {
  }

  /**
   * The user's generation after a session opened.
   *
   * @param first the session is the user's only one (they came online)
   * @param added this run added it (false: a re-run, or a session written again after a merge)
   */
  record Open(long generation, boolean first, boolean added) implements Serializable {
  }

  /**
   * The user is offline: the rooms to clear and tell, and the generation that ended.
   *
   * @param removed this run closed the last session (false: it was already closed)
   */
  record Offline(HashSet<String> rooms, long generation, boolean removed) implements Serializable {
  }

  /** A room's online count and the first users of its online set. */
  record Listed(int count, ArrayList<String> users) implements Serializable {
  }

  /** A session opened on {@code node}. */
  static final class Opened implements EntryProcessor<String, UserPresence, Open> {
    private static final long serialVersionUID = 3L;
    private final String node;
    private final String session;
    private final HashSet<String> rooms;

    Opened(String node, String session, Collection<String> rooms) {
      this.node = node;
      this.session = session;
      this.rooms = new HashSet<>(rooms);
    }

    @Override
    public Open process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue() == null ? new UserPresence() : e.getValue();
      boolean changed = false;
      if (!p.online()) {
        p.rooms.clear();
        p.generation++;
        changed = true;
      }
      boolean added = p.add(node, session);
      changed |= added | p.rooms.addAll(rooms);
      if (changed) {
        ((ExtendedMapEntry<String, UserPresence>) e).setValue(p, MAP_TTL, TimeUnit.SECONDS);
      }
      return new Open(p.generation, p.sessions() == 1, added);
    }
  }

  /**
   * A session closed on {@code node}. Answers {@link Offline} when the user is offline afterwards,
   * whether this run or an earlier one closed the session: a retry must still clear the rooms that
   * a failed first attempt did not reach.
   */
  static final class Closed implements EntryProcessor<String, UserPresence, Offline> {
    private static final long serialVersionUID = 3L;
    private final String node;
    private final String session;

    Closed(String node, String session) {
      this.node = node;
      this.session = session;
    }

    @Override
    public Offline process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null) {
        return null;
      }
      return settle(e, p, p.remove(node, session));
    }
  }

  /**
   * Every session of every node not in {@code keep} (they died). Runs where the entries live.
   * Answers {@link Offline} when this made the user offline, null otherwise.
   */
  static final class ClosedDead implements EntryProcessor<String, UserPresence, Offline> {
    private static final long serialVersionUID = 2L;
    private final HashSet<String> keep;

    ClosedDead(Set<String> keep) {
      this.keep = new HashSet<>(keep);
    }

    @Override
    public Offline process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null || !p.online() || !p.sessionsByNode.keySet().removeIf(node -> !keep.contains(node))) {
        return null;
      }
      return settle(e, p, true);
    }
  }

  /**
   * Stores what a close left ({@code removed}: it removed sessions) and answers {@link Offline} if
   * the user is offline now; an offline entry stays as a tombstone.
   */
  private static Offline settle(Map.Entry<String, UserPresence> e, UserPresence p, boolean removed) {
    if (p.online()) {
      if (removed) {
        e.setValue(p);
      }
      return null;
    }
    if (removed) {
      ((ExtendedMapEntry<String, UserPresence>) e).setValue(p, TOMBSTONE_MINUTES, TimeUnit.MINUTES);
    }
    return new Offline(new HashSet<>(p.rooms), p.generation, removed);
  }

  /** Selects users with sessions on a node that is not in {@code keep}. */
  static final class OnDeadNodes implements Predicate<String, UserPresence> {
    private static final long serialVersionUID = 2L;
    private final HashSet<String> keep;

    OnDeadNodes(Set<String> keep) {
      this.keep = new HashSet<>(keep);
    }

    @Override
    public boolean apply(Map.Entry<String, UserPresence> e) {
      return e.getValue() != null && !keep.containsAll(e.getValue().nodes());
    }
  }

  /** Selects users with sessions on {@code node}. */
  static final class OnNode implements Predicate<String, UserPresence> {
    private static final long serialVersionUID = 1L;
    private final String node;

    OnNode(String node) {
      this.node = node;
    }

    @Override
    public boolean apply(Map.Entry<String, UserPresence> e) {
      return e.getValue() != null && e.getValue().sessionsByNode.containsKey(node);
    }
  }

  /** The ids of the user's sessions on {@code node}, and the user's rooms. */
  static final class SessionsOn implements EntryProcessor<String, UserPresence, PresenceRegistry.Held>, ReadOnly {
    private static final long serialVersionUID = 2L;
    private final String node;

    SessionsOn(String node) {
      this.node = node;
    }

    @Override
    public PresenceRegistry.Held process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      Set<String> own = p == null ? null : p.sessionsByNode.get(node);
      return own == null ? null : new PresenceRegistry.Held(new HashSet<>(own), new HashSet<>(p.rooms));
    }

    @Override
    public EntryProcessor<String, UserPresence, PresenceRegistry.Held> getBackupProcessor() {
      return null;
    }
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
   * generation, a removal only removes the same or an older one. Answers the room's online count.
   *
   * <p>The rooms map is kept as objects ({@link PresenceMaps}), so this changes the stored set in
   * place, and the backup replica runs this same processor ({@link #getBackupProcessor()} is the
   * default, this one): one user's worth of work on each replica, whatever the room's size. The
   * set is insertion-ordered so that listing its first users never walks the rest.
   */
  static final class Online implements EntryProcessor<String, LinkedHashMap<String, Long>, Integer> {
    private static final long serialVersionUID = 3L;
    private final String user;
    private final long generation;
    private final boolean add;

    Online(String user, long generation, boolean add) {
      this.user = user;
      this.generation = generation;
      this.add = add;
    }

    @Override
    public Integer process(Map.Entry<String, LinkedHashMap<String, Long>> e) {
      LinkedHashMap<String, Long> users = e.getValue();
      if (users == null) {
        if (!add) {
          return 0;
        }
        users = new LinkedHashMap<>();
      }
      Long current = users.get(user);
      boolean changed = false;
      if (add && (current == null || current < generation)) {
        users.put(user, generation);
        changed = true;
      } else if (!add && current != null && current <= generation) {
        users.remove(user);
        changed = true;
      }
      if (changed) {
        // an empty set stays for a while: see TOMBSTONE_MINUTES
        ((ExtendedMapEntry<String, LinkedHashMap<String, Long>>) e).setValue(users,
            users.isEmpty() ? TOMBSTONE_MINUTES : MAP_TTL, users.isEmpty() ? TimeUnit.MINUTES : TimeUnit.SECONDS);
      }
      return users.size();
    }
  }

  /** A room's online count and at most {@code limit} of its users, read where the set lives. */
  static final class ListOnline implements EntryProcessor<String, LinkedHashMap<String, Long>, Listed>, ReadOnly {
    private static final long serialVersionUID = 1L;
    private final int limit;

    ListOnline(int limit) {
      this.limit = limit;
    }

    @Override
    public Listed process(Map.Entry<String, LinkedHashMap<String, Long>> e) {
      LinkedHashMap<String, Long> users = e.getValue();
      if (users == null) {
        return new Listed(0, new ArrayList<>(0));
      }
      ArrayList<String> listed = new ArrayList<>(Math.min(limit, users.size()));
      for (Iterator<String> it = users.keySet().iterator(); it.hasNext() && listed.size() < limit; ) {
        listed.add(it.next());
      }
      return new Listed(users.size(), listed);
    }

    @Override
    public EntryProcessor<String, LinkedHashMap<String, Long>, Listed> getBackupProcessor() {
      return null;
    }
  }
}
