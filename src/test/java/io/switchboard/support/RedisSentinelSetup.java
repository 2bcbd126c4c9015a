package io.switchboard.support;

import java.util.List;

/**
 * A master, one replica in sync with it, and one Sentinel watching them (quorum 1, the master
 * declared down after 1 s), all {@link RedisServer}s of the same binary.
 */
public final class RedisSentinelSetup implements AutoCloseable {

  public static final String MASTER_NAME = "mymaster";
  private static final long TIMEOUT_MS = 30_000;

  private final RedisServer master = RedisServer.ephemeral();
  private RedisServer replica;
  private RedisServer sentinel;

  public RedisSentinelSetup start() {
    master.start();
    replica = RedisServer.builder().replicaOf(master.port()).build().start();
    RedisServer.await("the replica to sync", TIMEOUT_MS, () -> ((String) replica.call("INFO", "replication")).contains("master_link_status:up"));
    // started last, so its first INFO to the master already lists the replica
    sentinel = RedisServer.builder().sentinel(MASTER_NAME, master.port()).build().start();
    RedisServer.await("the sentinel to know the replica", TIMEOUT_MS,
        () -> ((List<?>) sentinel.call("SENTINEL", "REPLICAS", MASTER_NAME)).size() == 1);
    return this;
  }

  public RedisServer master() {
    return master;
  }

  public RedisServer replica() {
    return replica;
  }

  public RedisServer sentinel() {
    return sentinel;
  }

  /** The port of the master as the sentinel currently names it. */
  public int currentMasterPort() {
    List<?> addr = (List<?>) sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    return Integer.parseInt((String) addr.get(1));
  }

  @Override
  public void close() {
    if (sentinel != null) {
      sentinel.close();
    }
    if (replica != null) {
      replica.close();
    }
    master.close();
  }
}
