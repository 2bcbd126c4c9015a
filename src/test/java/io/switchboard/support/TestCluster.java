package io.switchboard.support;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.Store;
import io.switchboard.store.memory.InMemoryStore;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Several clustered nodes in this JVM, each with its own Vert.x and Hazelcast member, on a cluster
 * name and port range of their own (test classes never join each other), sharing one store.
 */
public final class TestCluster implements AutoCloseable {

  private final List<TestNode> nodes = new ArrayList<>();
  private final Store store;

  private TestCluster(Store store) {
    this.store = store;
  }

  public static TestCluster start(int size, JsonObject overrides) {
    Store store = new InMemoryStore(new StoreOptions());
    TestCluster cluster = new TestCluster(store);
    String name = "sbtest-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    int port = 20_000 + ThreadLocalRandom.current().nextInt(400) * 100;
    try {
      for (int i = 0; i < size; i++) {
        // one at a time: members that start together may each form a cluster of their own first
        cluster.nodes.add(TestNode.startClustered(overrides, name, port, store));
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
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
