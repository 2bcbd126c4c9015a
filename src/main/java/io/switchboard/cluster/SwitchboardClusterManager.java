package io.switchboard.cluster;

import com.hazelcast.config.Config;
import io.switchboard.routing.Addresses;
import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Vert.x's Hazelcast cluster manager, except that consumers of user stream addresses are not
 * recorded in its cluster-wide registration table: {@link PresenceNodeSelector} finds a user's nodes
 * in presence instead. Everything else (membership, rooms, {@code all}, control and API addresses)
 * is Vert.x's.
 */
public final class SwitchboardClusterManager extends HazelcastClusterManager {

  private final PresenceNodeSelector selector = new PresenceNodeSelector();

  public SwitchboardClusterManager(Config config) {
    super(config);
  }

  /** The selector Vert.x must be built with (see {@code Nodes.vertxBuilder}). */
  public PresenceNodeSelector selector() {
    return selector;
  }

  @Override
  public void addRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    if (Addresses.isUserStream(address)) {
      promise.succeed();
    } else {
      super.addRegistration(address, registrationInfo, promise);
    }
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    if (Addresses.isUserStream(address)) {
      promise.succeed();
    } else {
      super.removeRegistration(address, registrationInfo, promise);
    }
  }
}
