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
 * Each node writes its own entry every {@link #REFRESH_MS} (once a second: the admin console's live
 * view shows them as they come) with a time to live of {@link #TTL_MS}: a node that dies drops out
 * of the list by itself.
 */
public final class HazelcastNodeDirectory implements NodeDirectory {

  static final String MAP = "sb.nodes";
  public static final long REFRESH_MS = 1_000;
  static final long TTL_MS = 10_000;

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final NodeFigures self;
  private final Supplier<String> selfId;
  private final long timer;
  private final ClusterLiveness liveness;

  public HazelcastNodeDirectory(Vertx vertx, HazelcastInstance hazelcast, NodeFigures self, Supplier<String> selfId,
                                ClusterLiveness liveness) {
    this.vertx = vertx;
    this.liveness = liveness;
    this.map = hazelcast.getMap(MAP);
    this.self = self;
    this.selfId = selfId;
    publish();
    this.timer = vertx.setPeriodic(REFRESH_MS, t -> publish());
  }

  private void publish() {
    self.refresh().onSuccess(info -> {
      try {
        map.setAsync(info.id(), info.toJson().encode(), TTL_MS, TimeUnit.MILLISECONDS);
      } catch (RuntimeException memberDown) {
        // Hazelcast is shutting down (or was terminated): the entry expires by itself
      }
    });
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
      map.delete(selfId.get());
    } catch (RuntimeException alreadyShutDown) {
      // the entry expires by itself
    }
    return liveness.close();
  }
}
