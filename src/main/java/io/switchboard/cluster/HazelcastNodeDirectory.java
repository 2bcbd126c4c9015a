package io.switchboard.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Each node writes its own entry every {@link #REFRESH_MS} with a time to live of a few refreshes:
 * a node that dies drops out of the list by itself.
 */
public final class HazelcastNodeDirectory implements NodeDirectory {

  static final String MAP = "sb.nodes";
  static final long REFRESH_MS = 2_000;
  static final long TTL_MS = 5 * REFRESH_MS;

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final Supplier<NodeInfo> self;
  private final long timer;
  private final ClusterLiveness liveness;

  public HazelcastNodeDirectory(Vertx vertx, HazelcastInstance hazelcast, Supplier<NodeInfo> self, ClusterLiveness liveness) {
    this.vertx = vertx;
    this.liveness = liveness;
    this.map = hazelcast.getMap(MAP);
    this.self = self;
    publish();
    this.timer = vertx.setPeriodic(REFRESH_MS, t -> publish());
  }

  private void publish() {
    NodeInfo info = self.get();
    try {
      map.setAsync(info.id(), info.toJson().encode(), TTL_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException memberDown) {
      // Hazelcast is shutting down (or was terminated): the entry expires by itself
    }
  }

  @Override
  public Future<List<NodeInfo>> nodes() {
    return vertx.executeBlocking(() -> {
      List<NodeInfo> nodes = new ArrayList<>();
      map.values().forEach(json -> nodes.add(NodeInfo.fromJson(new JsonObject(json))));
      nodes.sort(Comparator.comparing(NodeInfo::name));
      return nodes;
    }, false);
  }

  @Override
  public Future<Boolean> inCluster() {
    return liveness.inCluster();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    try {
      map.delete(self.get().id());
    } catch (RuntimeException alreadyShutDown) {
      // the entry expires by itself
    }
    return liveness.close();
  }
}
