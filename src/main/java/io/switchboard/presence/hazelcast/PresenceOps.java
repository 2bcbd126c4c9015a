package io.switchboard.presence.hazelcast;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.switchboard.presence.hazelcast.PresenceSerialization.readStrings;
import static io.switchboard.presence.hazelcast.PresenceSerialization.writeStrings;

/**
 * Entry processors: each runs atomically on the partition that owns the key, so two nodes opening
 * a first session for the same user at once cannot both (or neither) see themselves as first.
 *
 * <p>Every one of them may run twice for one call (Hazelcast retries an operation whose member left
 * before answering) and callers retry what failed: run twice, each leaves the entry as one run
 * does, and answers what the caller needs to finish the job the first run started.
 *
 * <p>They, their predicates and their answers cross between members at every connect and close
 * (to the owner, to the backup, back to the caller), so each is written field by field
 * ({@link IdentifiedDataSerializable}, {@link PresenceSerialization}): Java serialization wrote
 * and parsed class descriptors every time, on every member (an open with a UUID node id and two
 * rooms took 263 bytes, against 93 now).
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

  /** Written by its own class id in {@link PresenceSerialization}'s factory. */
  private abstract static class Identified implements IdentifiedDataSerializable {
    @Override
    public final int getFactoryId() {
      return PresenceSerialization.FACTORY_ID;
    }
  }

  /** For the operations on one node's sessions: that node's id. */
  private abstract static class WithNode extends Identified {
    String node;

    WithNode() {
    }

    WithNode(String node) {
      this.node = node;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(node);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      node = in.readString();
    }
  }

  /** For the operations on one session: the id of the node that holds it, and its own. */
  private abstract static class WithSession extends Identified {
    String node;
    String session;

    WithSession() {
    }

    WithSession(String node, String session) {
      this.node = node;
      this.session = session;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(node);
      out.writeString(session);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      node = in.readString();
      session = in.readString();
    }
  }

  /** For the operations on dead nodes' sessions: the nodes to keep, the others are dead. */
  private abstract static class WithKeep extends Identified {
    HashSet<String> keep;

    WithKeep() {
    }

    WithKeep(Set<String> keep) {
      this.keep = new HashSet<>(keep);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      writeStrings(out, keep);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      keep = readStrings(in, PresenceSerialization::hashSet);
    }
  }

  /** The user's generation after a session opened. */
  static final class Open extends Identified {
    private long generation;
    private boolean first;
    private boolean added;

    Open() {
    }

    /**
     * @param first the session is the user's only one (they came online)
     * @param added this run added it (false: a re-run, or a session written again after a merge)
     */
    Open(long generation, boolean first, boolean added) {
      this.generation = generation;
      this.first = first;
      this.added = added;
    }

    long generation() {
      return generation;
    }

    boolean first() {
      return first;
    }

    boolean added() {
      return added;
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.OPEN;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(generation);
      out.writeBoolean(first);
      out.writeBoolean(added);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      generation = in.readLong();
      first = in.readBoolean();
      added = in.readBoolean();
    }
  }

  /** The user is offline: the rooms to clear and tell, and the generation that ended. */
  static final class Offline extends Identified {
    private HashSet<String> rooms;
    private long generation;
    private boolean removed;

    Offline() {
    }

    /** @param removed this run closed the last session (false: it was already closed) */
    Offline(HashSet<String> rooms, long generation, boolean removed) {
      this.rooms = rooms;
      this.generation = generation;
      this.removed = removed;
    }

    HashSet<String> rooms() {
      return rooms;
    }

    long generation() {
      return generation;
    }

    boolean removed() {
      return removed;
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.OFFLINE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      writeStrings(out, rooms);
      out.writeLong(generation);
      out.writeBoolean(removed);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      rooms = readStrings(in, PresenceSerialization::hashSet);
      generation = in.readLong();
      removed = in.readBoolean();
    }
  }

  /** A room's online count and the first users of its online set. */
  static final class Listed extends Identified {
    private int count;
    private ArrayList<String> users;

    Listed() {
    }

    Listed(int count, ArrayList<String> users) {
      this.count = count;
      this.users = users;
    }

    int count() {
      return count;
    }

    ArrayList<String> users() {
      return users;
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.LISTED;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(count);
      writeStrings(out, users);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      count = in.readInt();
      users = readStrings(in, ArrayList::new);
    }
  }

  /** A user's sessions on one node and the user's rooms ({@code PresenceRegistry.Held} once home). */
  static final class HeldData extends Identified {
    private HashSet<String> sessions;
    private HashSet<String> rooms;

    HeldData() {
    }

    HeldData(HashSet<String> sessions, HashSet<String> rooms) {
      this.sessions = sessions;
      this.rooms = rooms;
    }

    HashSet<String> sessions() {
      return sessions;
    }

    HashSet<String> rooms() {
      return rooms;
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.HELD_DATA;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      writeStrings(out, sessions);
      writeStrings(out, rooms);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      sessions = readStrings(in, PresenceSerialization::hashSet);
      rooms = readStrings(in, PresenceSerialization::hashSet);
    }
  }

  /** A session opened on {@code node}. */
  static final class Opened extends WithSession implements EntryProcessor<String, UserPresence, Open> {
    private HashSet<String> rooms;

    Opened() {
    }

    Opened(String node, String session, Collection<String> rooms) {
      super(node, session);
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

    @Override
    public int getClassId() {
      return PresenceSerialization.OPENED;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      super.writeData(out);
      writeStrings(out, rooms);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      super.readData(in);
      rooms = readStrings(in, PresenceSerialization::hashSet);
    }
  }

  /**
   * A session closed on {@code node}. Answers {@link Offline} when the user is offline afterwards,
   * whether this run or an earlier one closed the session: a retry must still clear the rooms that
   * a failed first attempt did not reach.
   */
  static final class Closed extends WithSession implements EntryProcessor<String, UserPresence, Offline> {
    Closed() {
    }

    Closed(String node, String session) {
      super(node, session);
    }

    @Override
    public Offline process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null) {
        return null;
      }
      return settle(e, p, p.remove(node, session));
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.CLOSED;
    }
  }

  /**
   * Every session of every node not in {@code keep} (they died). Runs where the entries live.
   * Answers {@link Offline} when this made the user offline, null otherwise.
   */
  static final class ClosedDead extends WithKeep implements EntryProcessor<String, UserPresence, Offline> {
    ClosedDead() {
    }

    ClosedDead(Set<String> keep) {
      super(keep);
    }

    @Override
    public Offline process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      if (p == null || !p.online() || !p.sessionsByNode.keySet().removeIf(node -> !keep.contains(node))) {
        return null;
      }
      return settle(e, p, true);
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.CLOSED_DEAD;
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
  static final class OnDeadNodes extends WithKeep implements Predicate<String, UserPresence> {
    OnDeadNodes() {
    }

    OnDeadNodes(Set<String> keep) {
      super(keep);
    }

    @Override
    public boolean apply(Map.Entry<String, UserPresence> e) {
      return e.getValue() != null && !keep.containsAll(e.getValue().nodes());
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.ON_DEAD_NODES;
    }
  }

  /** Selects users with sessions on {@code node}. */
  static final class OnNode extends WithNode implements Predicate<String, UserPresence> {
    OnNode() {
    }

    OnNode(String node) {
      super(node);
    }

    @Override
    public boolean apply(Map.Entry<String, UserPresence> e) {
      return e.getValue() != null && e.getValue().sessionsByNode.containsKey(node);
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.ON_NODE;
    }
  }

  /** The ids of the user's sessions on {@code node}, and the user's rooms. */
  static final class SessionsOn extends WithNode implements EntryProcessor<String, UserPresence, HeldData>, ReadOnly {
    SessionsOn() {
    }

    SessionsOn(String node) {
      super(node);
    }

    @Override
    public HeldData process(Map.Entry<String, UserPresence> e) {
      UserPresence p = e.getValue();
      Set<String> own = p == null ? null : p.sessionsByNode.get(node);
      return own == null ? null : new HeldData(new HashSet<>(own), new HashSet<>(p.rooms));
    }

    @Override
    public EntryProcessor<String, UserPresence, HeldData> getBackupProcessor() {
      return null;
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.SESSIONS_ON;
    }
  }

  /**
   * The user joined ({@code add}) or left a room; answers the current generation if the user is
   * online, else the negated last one (0 when unknown), so callers know both.
   */
  static final class Room extends Identified implements EntryProcessor<String, UserPresence, Long> {
    private String room;
    private boolean add;

    Room() {
    }

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

    @Override
    public int getClassId() {
      return PresenceSerialization.ROOM;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(room);
      out.writeBoolean(add);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      room = in.readString();
      add = in.readBoolean();
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
  static final class Online extends Identified implements EntryProcessor<String, LinkedHashMap<String, Long>, Integer> {
    private String user;
    private long generation;
    private boolean add;

    Online() {
    }

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

    @Override
    public int getClassId() {
      return PresenceSerialization.ONLINE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(user);
      out.writeLong(generation);
      out.writeBoolean(add);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      user = in.readString();
      generation = in.readLong();
      add = in.readBoolean();
    }
  }

  /** A room's online count and at most {@code limit} of its users, read where the set lives. */
  static final class ListOnline extends Identified
      implements EntryProcessor<String, LinkedHashMap<String, Long>, Listed>, ReadOnly {
    private int limit;

    ListOnline() {
    }

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

    @Override
    public int getClassId() {
      return PresenceSerialization.LIST_ONLINE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(limit);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      limit = in.readInt();
    }
  }
}
