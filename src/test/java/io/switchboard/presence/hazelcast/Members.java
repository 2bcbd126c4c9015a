package io.switchboard.presence.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.switchboard.cluster.HazelcastSetup;
import io.switchboard.config.ConfigLoader;
import io.switchboard.support.RedisServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Plain Hazelcast members in this JVM, configured as a node configures its own ({@link HazelcastSetup}),
 * on a cluster name and port range of their own; each gets the Vert.x node id attribute, as Vert.x sets it.
 */
final class Members implements AutoCloseable {

  private final List<HazelcastInstance> members = new ArrayList<>();

  /** Starts {@code size} members and waits until they form one cluster with every partition backed up. */
  static Members start(int size, Consumer<Config> customize) {
    String name = "presence-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    int port = 10_000 + ThreadLocalRandom.current().nextInt(200) * 100;
    Members m = new Members();
    try {
      for (int i = 0; i < size; i++) {
        JsonObject json = new JsonObject().put("cluster", new JsonObject().put("name", name).put("port", port)
            .put("members", new JsonArray().add("127.0.0.1")).put("failureTimeoutMs", 3_000));
        Config config = HazelcastSetup.config(ConfigLoader.load(json, Map.of()).getCluster());
        config.getMemberAttributeConfig().setAttribute(HazelcastPresenceRegistry.NODE_ID_ATTRIBUTE, nodeId(i));
        customize.accept(config);
        m.members.add(Hazelcast.newHazelcastInstance(config));
      }
      HazelcastInstance first = m.members.get(0);
      RedisServer.await(size + " members in one cluster, partitions safe", 60_000,
          () -> first.getCluster().getMembers().size() == size && first.getPartitionService().isClusterSafe());
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  static String nodeId(int i) {
    return "node-" + (char) ('a' + i);
  }

  HazelcastInstance get(int i) {
    return members.get(i);
  }

  @Override
  public void close() {
    for (HazelcastInstance h : members) {
      try {
        h.getLifecycleService().terminate();
      } catch (RuntimeException e) {
        // the others still have to go
      }
    }
  }
}
