package io.switchboard.presence.hazelcast;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.memory.InMemoryStore;
import io.vertx.core.Vertx;

/**
 * What most tests of the registry run against: a Vert.x instance, two Hazelcast members (so that
 * some entries and backups live on the other one) and the registry of the first, closed in the
 * reverse order.
 */
final class RegistryOnTwoMembers implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final Members members;
  final HazelcastPresenceRegistry registry;

  RegistryOnTwoMembers() {
    members = Members.start(2, c -> { });
    registry = new HazelcastPresenceRegistry(vertx, members.get(0), Members.nodeId(0), new InMemoryStore(new StoreOptions()));
  }

  @Override
  public void close() {
    registry.close();
    members.close();
    vertx.close().await();
  }
}
