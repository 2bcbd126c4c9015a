package io.switchboard.presence.hazelcast;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Creates the presence classes Hazelcast reads by factory and class id. Registered on every member
 * by {@link PresenceMaps#configure}; a member without it cannot read presence entries.
 */
public final class PresenceSerialization implements DataSerializableFactory {

  /** Any value no other factory of the cluster uses; Hazelcast's own factories are negative. */
  public static final int FACTORY_ID = 0x5B0A;
  static final int USER_PRESENCE = 1;

  @Override
  public IdentifiedDataSerializable create(int classId) {
    return classId == USER_PRESENCE ? new UserPresence() : null;
  }
}
