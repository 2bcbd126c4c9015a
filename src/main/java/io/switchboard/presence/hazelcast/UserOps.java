package io.switchboard.presence.hazelcast;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.query.Predicate;
import io.switchboard.presence.hazelcast.PresenceAnswers.HeldData;
import io.switchboard.presence.hazelcast.PresenceAnswers.Offline;
import io.switchboard.presence.hazelcast.PresenceAnswers.Open;
import io.switchboard.presence.hazelcast.PresenceOps.Identified;
import io.switchboard.presence.hazelcast.PresenceOps.WithKeep;
import io.switchboard.presence.hazelcast.PresenceOps.WithNode;
import io.switchboard.presence.hazelcast.PresenceOps.WithSession;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.switchboard.presence.hazelcast.PresenceOps.MAP_TTL;
import static io.switchboard.presence.hazelcast.PresenceOps.TOMBSTONE_MINUTES;
import static io.switchboard.presence.hazelcast.PresenceSerialization.readStrings;
import static io.switchboard.presence.hazelcast.PresenceSerialization.writeStrings;

/**
 * The operations on a user's presence entry (sessions by node, rooms, generation) and the
 * predicates that select users by node; the rules they all follow are in {@link PresenceOps}.
 */
final class UserOps {

  private UserOps() {
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
}
