package io.switchboard.presence.hazelcast;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserPresenceTest {

  final SerializationService hazelcast = new DefaultSerializationServiceBuilder().build();

  @Test
  void survivesHazelcastsSerializationWhole() {
    UserPresence p = new UserPresence();
    p.generation = 42;
    p.sessionsByNode.put("node-a", 2);
    p.sessionsByNode.put("node-b", 1);
    p.rooms.add("lobby");
    p.rooms.add("r2");
    UserPresence back = hazelcast.toObject(hazelcast.toData(p));
    assertEquals(42, back.generation);
    assertEquals(p.sessionsByNode, back.sessionsByNode);
    assertEquals(p.rooms, back.rooms);
    assertEquals(3, back.sessions());
  }

  @Test
  void anEntryStaysSmallInTheMap() {
    // the map holds every connected user's entry twice, serialized: its size is memory per connection
    UserPresence p = new UserPresence();
    p.generation = 1;
    p.sessionsByNode.put("vm-ab12", 1);
    Data data = hazelcast.toData(p);
    assertTrue(data.totalSize() <= 100, "serialized size " + data.totalSize());
  }
}
