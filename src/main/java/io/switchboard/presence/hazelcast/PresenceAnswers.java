package io.switchboard.presence.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.switchboard.presence.RoomPresence;
import io.switchboard.presence.hazelcast.PresenceOps.Identified;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;

import static io.switchboard.presence.hazelcast.PresenceSerialization.readStrings;
import static io.switchboard.presence.hazelcast.PresenceSerialization.writeStrings;

/**
 * What the presence operations ({@link UserOps}, {@link RoomOps}) answer their callers, written
 * field by field (see {@link PresenceOps}).
 */
final class PresenceAnswers {

  private PresenceAnswers() {
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

    /** As the registry answers it. */
    RoomPresence presence() {
      return new RoomPresence(users, count);
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
}
