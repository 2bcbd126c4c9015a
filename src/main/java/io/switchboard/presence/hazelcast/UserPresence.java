package io.switchboard.presence.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;

/**
 * One user in the cluster map: open sessions per node, the rooms they are in, and the generation of
 * their current (or last) online period. The generation orders updates of a room's online set that
 * race each other: "offline" from one period must not undo "online" from the next.
 *
 * <p>Written field by field ({@link DataSerializable}) rather than by Java serialization: the map
 * holds every connected user's entry twice (owner and backup) in serialized form, and Java
 * serialization's class descriptors made each copy about 380 bytes for one session on one node,
 * against about 90 now (heap dumps of the idle benchmark, docs/benchmarks-analysis.md).
 */
final class UserPresence implements DataSerializable {

  final HashMap<String, Integer> sessionsByNode = new HashMap<>();
  final HashSet<String> rooms = new HashSet<>();
  long generation;

  boolean online() {
    return !sessionsByNode.isEmpty();
  }

  Set<String> nodes() {
    return sessionsByNode.keySet();
  }

  int sessions() {
    return sessionsByNode.values().stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(generation);
    out.writeInt(sessionsByNode.size());
    for (var e : sessionsByNode.entrySet()) {
      out.writeString(e.getKey());
      out.writeInt(e.getValue());
    }
    out.writeInt(rooms.size());
    for (String room : rooms) {
      out.writeString(room);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    generation = in.readLong();
    for (int i = in.readInt(); i > 0; i--) {
      sessionsByNode.put(in.readString(), in.readInt());
    }
    for (int i = in.readInt(); i > 0; i--) {
      rooms.add(in.readString());
    }
  }
}
