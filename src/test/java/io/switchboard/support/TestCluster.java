package io.switchboard.support;

import io.switchboard.NodeParts;
import io.switchboard.config.StoreOptions;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.store.Store;
import io.switchboard.store.memory.InMemoryStore;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Several clustered nodes in this JVM, each with its own Vert.x and Hazelcast member, on a cluster
 * name and port range of their own (test classes never join each other), sharing one store.
 */
public final class TestCluster implements AutoCloseable {

  private final List<TestNode> nodes = new ArrayList<>();
  private final Store store;
  private final JsonObject overrides;
  private final UnaryOperator<PresenceRegistry> presence;
  private final String name = "sbtest-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  /** Below Linux's ephemeral range (32768+), so that outgoing connections never take a member's port. */
  private final int port = 10_000 + ThreadLocalRandom.current().nextInt(200) * 100;

  private TestCluster(Store store, JsonObject overrides, UnaryOperator<PresenceRegistry> presence) {
    this.store = store;
    this.overrides = overrides;
    this.presence = presence;
  }

  /** Nodes sharing one in-memory store object (the test-only shared store). */
  public static TestCluster start(int size, JsonObject overrides) {
    return start(size, overrides, UnaryOperator.identity());
  }

  /** Like {@link #start(int, JsonObject)}, each node's presence registry seen through {@code presence}. */
  public static TestCluster start(int size, JsonObject overrides, UnaryOperator<PresenceRegistry> presence) {
    return new TestCluster(new InMemoryStore(new StoreOptions()), overrides, presence).startNodes(size);
  }

  /** Nodes on a real Redis, each with its own Redis store, as in production. */
  public static TestCluster onRedis(int size, RedisServer redis, JsonObject overrides) {
    JsonObject config = new JsonObject()
        .put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", redis.url()).put("timeoutMs", 1000))
        .mergeIn(overrides, true);
    return new TestCluster(null, config, UnaryOperator.identity()).startNodes(size);
  }

  private TestCluster startNodes(int size) {
    try {
      for (int i = 0; i < size; i++) {
        // one at a time: members that start together may each form a cluster of their own first
        nodes.add(TestNode.startClustered(overrides, name, port, NodeParts.defaults().withStore(store).withPresence(presence)));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /** Stops every node (drained), then starts as many new ones: nothing survives but the store. */
  public TestCluster restartAll() {
    int size = nodes.size();
    close();
    nodes.clear();
    return startNodes(size);
  }

  public TestNode node(int i) {
    return nodes.get(i);
  }

  public List<TestNode> nodes() {
    return nodes;
  }

  public Store store() {
    return store;
  }

  @Override
  public void close() {
    for (TestNode n : nodes) {
      try {
        n.close();
      } catch (RuntimeException e) {
        // the others still have to go
      }
    }
  }
}
