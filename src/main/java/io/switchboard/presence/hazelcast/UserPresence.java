package io.switchboard.presence.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.switchboard.presence.hazelcast.PresenceSerialization.readStrings;
import static io.switchboard.presence.hazelcast.PresenceSerialization.writeStrings;

/**
 * One user in the cluster map: the ids of their open sessions, grouped by the node that holds them,
 * the rooms they are in, and the generation of their current (or last) online period. The
 * generation orders updates of a room's online set that race each other: "offline" from one period
 * must not undo "online" from the next.
 *
 * <p>Sessions are kept by id, not counted, so that opening or closing one twice (Hazelcast runs an
 * entry processor again when a member leaves mid-call; callers retry) changes nothing the second
 * time. Each node id is written once per entry however many sessions the user has there.
 *
 * <p>Written field by field ({@link IdentifiedDataSerializable}: a factory and class id instead of
 * the class name) rather than by Java serialization: the map holds every connected user's entry
 * twice (owner and backup) in serialized form, and Java serialization's class descriptors made each
 * copy about 380 bytes for one session on one node, against about 90 with DataSerializable and
 * under 70 now with the session id in it (docs/decisions.md, "Cluster state").
 */
final class UserPresence implements IdentifiedDataSerializable {

  final HashMap<String, HashSet<String>> sessionsByNode = new HashMap<>();
  final HashSet<String> rooms = new HashSet<>();
  long generation;

  boolean online() {
    return !sessionsByNode.isEmpty();
  }

  Set<String> nodes() {
    return sessionsByNode.keySet();
  }

  int sessions() {
    int n = 0;
    for (Set<String> s : sessionsByNode.values()) {
      n += s.size();
    }
    return n;
  }

  /** @return false when the session was already there */
  boolean add(String node, String session) {
    return sessionsByNode.computeIfAbsent(node, n -> new HashSet<>(2)).add(session);
  }

  /** @return false when the session was not there */
  boolean remove(String node, String session) {
    Set<String> own = sessionsByNode.get(node);
    if (own == null || !own.remove(session)) {
      return false;
    }
    if (own.isEmpty()) {
      sessionsByNode.remove(node);
    }
    return true;
  }

  boolean has(String node, String session) {
    Set<String> own = sessionsByNode.get(node);
    return own != null && own.contains(session);
  }

  @Override
  public int getFactoryId() {
    return PresenceSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return PresenceSerialization.USER_PRESENCE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(generation);
    out.writeInt(sessionsByNode.size());
    for (Map.Entry<String, HashSet<String>> e : sessionsByNode.entrySet()) {
      out.writeString(e.getKey());
      writeStrings(out, e.getValue());
    }
    writeStrings(out, rooms);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    generation = in.readLong();
    for (int nodes = in.readInt(); nodes > 0; nodes--) {
      String node = in.readString();
      sessionsByNode.put(node, readStrings(in, PresenceSerialization::hashSet));
    }
    readStrings(in, count -> rooms);
  }
}
