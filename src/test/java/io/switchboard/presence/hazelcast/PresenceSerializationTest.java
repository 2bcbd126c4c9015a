package io.switchboard.presence.hazelcast;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything the presence operations send between members is written by its factory and class id:
 * Java serialization wrote and parsed class descriptors at every connect, on every member.
 */
class PresenceSerializationTest {

  final SerializationService hazelcast = new DefaultSerializationServiceBuilder()
      .addDataSerializableFactory(PresenceSerialization.FACTORY_ID, new PresenceSerialization()).build();

  /** One of each class, every field set to something other than its default. */
  static List<Object> everyClass() {
    HashSet<String> rooms = new HashSet<>(Set.of("lobby", "r2"));
    return List.of(
        new UserOps.Opened("node-a", "s1", rooms),
        new UserOps.Closed("node-a", "s1"),
        new UserOps.ClosedDead(Set.of("node-a", "node-b")),
        new UserOps.SessionsOn("node-a"),
        new UserOps.Room("lobby", true),
        new RoomOps.Online("alice", 7, true),
        new RoomOps.ListOnline(10),
        new RoomOps.Entered("alice", 7, 10),
        new UserOps.OnDeadNodes(Set.of("node-a", "node-b")),
        new UserOps.OnNode("node-a"),
        new PresenceAnswers.Open(7, true, true),
        new PresenceAnswers.Offline(rooms, 7, true),
        new PresenceAnswers.Listed(12, new ArrayList<>(List.of("alice", "bob"))),
        new PresenceAnswers.HeldData(new HashSet<>(Set.of("s1", "s2")), rooms));
  }

  @Test
  void everyClassIsWrittenByItsIdsAndEveryFieldSurvives() throws Exception {
    for (Object original : everyClass()) {
      Data data = hazelcast.toData(original);
      assertEquals(SerializationConstants.CONSTANT_TYPE_DATA_SERIALIZABLE, data.getType(),
          original.getClass().getSimpleName() + " is not written as IdentifiedDataSerializable");
      Object back = hazelcast.toObject(data);
      assertNotSame(original, back);
      assertEquals(original.getClass(), back.getClass());
      assertFieldsEqual(original, back);
    }
  }

  @Test
  void everyOperationPredicateAndAnswerIsCovered() {
    Set<Class<?>> tested = new HashSet<>();
    everyClass().forEach(o -> tested.add(o.getClass()));
    for (Class<?> holder : List.of(PresenceOps.class, UserOps.class, RoomOps.class, PresenceAnswers.class)) {
      for (Class<?> c : holder.getDeclaredClasses()) {
        if (!Modifier.isAbstract(c.getModifiers())) {
          assertTrue(tested.contains(c), c.getSimpleName() + " is not round-tripped here");
        }
      }
    }
  }

  @Test
  void theFactoryCreatesEachClassByItsOwnId() {
    PresenceSerialization factory = new PresenceSerialization();
    Set<Integer> ids = new HashSet<>(Set.of(PresenceSerialization.USER_PRESENCE));
    for (Object o : everyClass()) {
      IdentifiedDataSerializable identified = (IdentifiedDataSerializable) o;
      assertEquals(PresenceSerialization.FACTORY_ID, identified.getFactoryId());
      assertTrue(ids.add(identified.getClassId()), "class id " + identified.getClassId() + " used twice");
      assertEquals(o.getClass(), factory.create(identified.getClassId()).getClass());
    }
  }

  @Test
  void nullsAndEmptiesSurvive() throws Exception {
    List<Object> sparse = List.of(
        new PresenceAnswers.Offline(null, 0, false),
        new PresenceAnswers.Offline(new HashSet<>(), 1, false),
        new PresenceAnswers.Listed(0, null),
        new PresenceAnswers.Listed(0, new ArrayList<>()),
        new PresenceAnswers.HeldData(null, null),
        new UserOps.OnNode(null),
        new UserOps.Closed(null, null),
        new RoomOps.Online(null, 0, false));
    for (Object original : sparse) {
      assertFieldsEqual(original, hazelcast.toObject(hazelcast.toData(original)));
    }
    PresenceAnswers.Offline back = hazelcast.toObject(hazelcast.toData(new PresenceAnswers.Offline(null, 0, false)));
    assertNull(back.rooms());
  }

  @Test
  void anOpenIsSmall() {
    // sent at every connect, to the owner and to the backup; Java serialization took 263 bytes
    Data data = hazelcast.toData(new UserOps.Opened(UUID.randomUUID().toString(), "sb-7f9c.1.2bx",
        List.of("lobby", "r2")));
    assertTrue(data.totalSize() <= 100, "serialized size " + data.totalSize());
  }

  /** Every instance field, those of the shared superclasses too. */
  private static void assertFieldsEqual(Object expected, Object actual) throws IllegalAccessException {
    int fields = 0;
    for (Class<?> c = expected.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          assertEquals(f.get(expected), f.get(actual), expected.getClass().getSimpleName() + "." + f.getName());
          fields++;
        }
      }
    }
    assertTrue(fields > 0, expected.getClass().getSimpleName() + " has no fields to compare");
  }
}
