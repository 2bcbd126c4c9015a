package io.switchboard.presence.hazelcast;

import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.HashSet;
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
 *
 * <p>This class holds what they share; the operations are in {@link UserOps} (a user's entry) and
 * {@link RoomOps} (a room's online set), their answers in {@link PresenceAnswers}.
 */
final class PresenceOps {

  /**
   * An offline user's entry, and an empty room's, is kept this long: its generation outlives late,
   * stale updates, and a cluster split shorter than this cannot bring back what was removed (the
   * merge policy only fills keys the larger half lacks).
   */
  static final long TOMBSTONE_MINUTES = 60;
  /** TTL argument of {@link ExtendedMapEntry#setValue(Object, long, TimeUnit)}: the map's own (none). */
  static final long MAP_TTL = -1;

  private PresenceOps() {
  }

  /** Written by its own class id in {@link PresenceSerialization}'s factory. */
  abstract static class Identified implements IdentifiedDataSerializable {
    @Override
    public final int getFactoryId() {
      return PresenceSerialization.FACTORY_ID;
    }
  }

  /** For the operations on one node's sessions: that node's id. */
  abstract static class WithNode extends Identified {
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
  abstract static class WithSession extends Identified {
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

  /** For the operations on one user's membership of a room: the user, and the generation it is for. */
  abstract static class ForUser extends Identified {
    String user;
    long generation;

    ForUser() {
    }

    ForUser(String user, long generation) {
      this.user = user;
      this.generation = generation;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(user);
      out.writeLong(generation);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      user = in.readString();
      generation = in.readLong();
    }
  }

  /** For the operations on dead nodes' sessions: the nodes to keep, the others are dead. */
  abstract static class WithKeep extends Identified {
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
}
