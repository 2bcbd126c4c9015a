package io.switchboard.presence.hazelcast;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserPresenceTest {

  final SerializationService hazelcast = new DefaultSerializationServiceBuilder()
      .addDataSerializableFactory(PresenceSerialization.FACTORY_ID, new PresenceSerialization()).build();

  @Test
  void survivesHazelcastsSerializationWhole() {
    UserPresence p = new UserPresence();
    p.generation = 42;
    p.add("node-a", "a.0.1");
    p.add("node-a", "a.1.7");
    p.add("node-b", "b.0.3");
    p.rooms.add("lobby");
    p.rooms.add("r2");
    UserPresence back = hazelcast.toObject(hazelcast.toData(p));
    assertEquals(42, back.generation);
    assertEquals(p.sessionsByNode, back.sessionsByNode);
    assertEquals(p.rooms, back.rooms);
    assertEquals(3, back.sessions());
    assertEquals(Set.of("node-a", "node-b"), back.nodes());
  }

  @Test
  void anEntryStaysSmallInTheMap() {
    // the map holds every connected user's entry twice, serialized: its size is memory per connection
    UserPresence p = new UserPresence();
    p.generation = 1;
    p.add("vm-ab12", "vm-ab12.0.1");
    Data data = hazelcast.toData(p);
    assertTrue(data.totalSize() <= 100, "serialized size " + data.totalSize());
  }

  @Test
  void aRealNodeIdAndSessionIdStillFitAndANodeIsWrittenOncePerEntry() {
    // Vert.x node ids are UUIDs; session ids are the node name, the loop and a counter
    String node = UUID.randomUUID().toString();
    UserPresence one = new UserPresence();
    one.generation = 1;
    one.add(node, "sb-7f9c.1.2bx");
    int oneSize = hazelcast.toData(one).totalSize();
    assertTrue(oneSize <= 100, "serialized size " + oneSize);

    UserPresence two = new UserPresence();
    two.generation = 1;
    two.add(node, "sb-7f9c.1.2bx");
    two.add(node, "sb-7f9c.0.2by");
    int twoSize = hazelcast.toData(two).totalSize();
    // the second session on the same node costs its id, not the node's again
    assertEquals(oneSize + 4 + "sb-7f9c.0.2by".length(), twoSize);
  }
}
