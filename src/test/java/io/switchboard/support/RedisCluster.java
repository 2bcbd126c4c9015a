package io.switchboard.support;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A three-master Redis Cluster of {@link RedisServer}s without replicas, put together the way
 * redis-cli would (there is none here): each node takes a third of the slots (CLUSTER ADDSLOTS) and
 * a distinct config epoch, the first meets the others (CLUSTER MEET), then it waits until every
 * node reports the cluster ok and knows the whole slot map.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int SLOTS = 16_384;
  private static final long FORM_TIMEOUT_MS = 60_000;

  private final List<RedisServer> nodes = new ArrayList<>();

  public RedisCluster start() {
    for (int i = 0; i < 3; i++) {
      nodes.add(RedisServer.builder().cluster().build().start());
    }
    for (int i = 0; i < nodes.size(); i++) {
      int from = SLOTS * i / nodes.size();
      int to = SLOTS * (i + 1) / nodes.size();
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot < to; slot++) {
        args.add(String.valueOf(slot));
      }
      nodes.get(i).call(args.toArray(String[]::new));
      nodes.get(i).call("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
    }
    for (RedisServer other : nodes.subList(1, nodes.size())) {
      nodes.get(0).call("CLUSTER", "MEET", "127.0.0.1", String.valueOf(other.port()));
    }
    RedisServer.await("the cluster to form", FORM_TIMEOUT_MS, () -> nodes.stream().allMatch(RedisCluster::sees3Masters));
    return this;
  }

  public List<RedisServer> nodes() {
    return nodes;
  }

  public List<String> urls() {
    return nodes.stream().map(RedisServer::url).collect(Collectors.toList());
  }

  public void flushAll() {
    nodes.forEach(n -> n.call("FLUSHALL"));
  }

  /** The node that holds {@code key} (CLUSTER KEYSLOT, then who owns that slot). */
  public RedisServer nodeOf(String key) {
    long slot = (Long) nodes.get(0).call("CLUSTER", "KEYSLOT", key);
    for (int i = 0; i < nodes.size() - 1; i++) {
      if (slot < (long) SLOTS * (i + 1) / nodes.size()) {
        return nodes.get(i);
      }
    }
    return nodes.get(nodes.size() - 1);
  }

  private static boolean sees3Masters(RedisServer node) {
    String info = (String) node.call("CLUSTER", "INFO");
    List<?> slots = (List<?>) node.call("CLUSTER", "SLOTS");
    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3") && slots.size() == 3;
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
