package io.switchboard.presence.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.function.IntFunction;

/**
 * Creates the presence classes Hazelcast reads by factory and class id. Registered on every member
 * by {@link PresenceMaps#configure}; a member without it cannot read presence entries, nor run
 * presence operations.
 */
public final class PresenceSerialization implements DataSerializableFactory {

  /** Any value no other factory of the cluster uses; Hazelcast's own factories are negative. */
  public static final int FACTORY_ID = 0x5B0A;
  static final int USER_PRESENCE = 1;
  static final int OPENED = 2;
  static final int CLOSED = 3;
  static final int CLOSED_DEAD = 4;
  static final int SESSIONS_ON = 5;
  static final int ROOM = 6;
  static final int ONLINE = 7;
  static final int LIST_ONLINE = 8;
  static final int ON_DEAD_NODES = 9;
  static final int ON_NODE = 10;
  static final int OPEN = 11;
  static final int OFFLINE = 12;
  static final int LISTED = 13;
  static final int HELD_DATA = 14;
  static final int ENTERED = 15;

  @Override
  public IdentifiedDataSerializable create(int classId) {
    return switch (classId) {
      case USER_PRESENCE -> new UserPresence();
      case OPENED -> new UserOps.Opened();
      case CLOSED -> new UserOps.Closed();
      case CLOSED_DEAD -> new UserOps.ClosedDead();
      case SESSIONS_ON -> new UserOps.SessionsOn();
      case ROOM -> new UserOps.Room();
      case ONLINE -> new RoomOps.Online();
      case LIST_ONLINE -> new RoomOps.ListOnline();
      case ON_DEAD_NODES -> new UserOps.OnDeadNodes();
      case ON_NODE -> new UserOps.OnNode();
      case OPEN -> new PresenceAnswers.Open();
      case OFFLINE -> new PresenceAnswers.Offline();
      case LISTED -> new PresenceAnswers.Listed();
      case HELD_DATA -> new PresenceAnswers.HeldData();
      case ENTERED -> new RoomOps.Entered();
      default -> null;
    };
  }

  /** A count, then each string; a null collection is written as the count -1. */
  static void writeStrings(ObjectDataOutput out, Collection<String> strings) throws IOException {
    if (strings == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeString(s);
    }
  }

  /** What {@link #writeStrings} wrote, into {@code create.apply(count)}; null if it was null. */
  static <C extends Collection<String>> C readStrings(ObjectDataInput in, IntFunction<C> create) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      return null;
    }
    C strings = create.apply(count);
    for (int i = 0; i < count; i++) {
      strings.add(in.readString());
    }
    return strings;
  }

  /** A set that holds {@code count} strings without growing. */
  static HashSet<String> hashSet(int count) {
    return new HashSet<>(Math.max(2, count * 2));
  }
}
