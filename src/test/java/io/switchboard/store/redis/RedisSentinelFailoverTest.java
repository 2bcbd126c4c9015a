package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MutableClock;
import io.switchboard.store.StoredMessage;
import io.switchboard.support.RedisSentinelSetup;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TcpProxy;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When Sentinel promotes the replica, the same store object follows it without a restart. */
class RedisSentinelFailoverTest {

  /**
   * Long enough that a healthy call never times out on a loaded 2-core machine (the loop below
   * tolerates no failure), short enough that the silent sentinel is found out quickly.
   */
  private static final int LOADED_MACHINE_TIMEOUT_MS = 3_000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Vertx vertx;
  private RedisSentinelSetup redis;
  private RedisStore store;

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void theStoreFollowsAFailover() {
    redis = new RedisSentinelSetup().start();
    vertx = Vertx.vertx();
    StoreOptions options = new StoreOptions();
    options.getRedis().setMode(RedisOptions.Mode.SENTINEL).setUrls(List.of(redis.sentinel().url()))
        .setMasterName(RedisSentinelSetup.MASTER_NAME).setTimeoutMs(1_000);
    store = new RedisStore(vertx, options, clock);
    RedisServer.await("the store to reach the master", 30_000, () -> succeeds(() -> store.ping().await()));

    for (int i = 1; i <= 10; i++) {
      assertEquals(i, store.append(new AppendRequest("room:x", "alice", String.valueOf(i), null)).await().seq());
    }
    // replication is asynchronous: make sure the replica has everything before the master dies
    assertEquals(1L, redis.master().call("WAIT", "1", "5000"));
    redis.master().kill();

    // a client retries with the same id until the store answers; the id makes the retries safe
    RedisServer.await("Sentinel to promote the replica", 30_000, () -> redis.currentMasterPort() == redis.replica().port());
    AtomicReference<AppendResult> after = new AtomicReference<>();
    RedisServer.await("an append to succeed on the new master", 30_000,
        () -> succeeds(() -> after.set(store.append(new AppendRequest("room:x", "alice", "11", "after-failover")).await())));
    assertEquals(11, after.get().seq(), "seqs continue on the promoted replica");
    // the replica's cache was empty: the connection to it loaded the scripts before the first EVALSHA
    assertEquals(0, ScriptStats.noScriptErrors(redis.replica()), "EVALSHA on the promoted replica found no script");
    List<Long> seqs = store.read("room:x", 1, 100).await().messages().stream().map(StoredMessage::seq).collect(Collectors.toList());
    assertEquals(11, seqs.size());
    store.ping().await();
  }

  @Test
  void aSentinelThatWentSilentDoesNotKeepTheStoreDown() {
    redis = new RedisSentinelSetup().start();
    vertx = Vertx.vertx();
    try (TcpProxy silent = new TcpProxy(redis.sentinel().port())) {
      // the first sentinel listed will go silent; the second is the same sentinel, reachable
      StoreOptions options = new StoreOptions();
      options.getRedis().setMode(RedisOptions.Mode.SENTINEL).setUrls(List.of(silent.url(), redis.sentinel().url()))
          .setMasterName(RedisSentinelSetup.MASTER_NAME).setTimeoutMs(LOADED_MACHINE_TIMEOUT_MS);
      store = new RedisStore(vertx, options, clock);
      RedisServer.await("the store to reach the master", 30_000, () -> succeeds(() -> store.ping().await()));

      // accepts connections, answers nothing: the client's topology lookup has no deadline of its own,
      // so once its cached topology expires (every second) a call fails...
      silent.silenceEverything();
      RedisServer.await("a call to hit the silent sentinel", 30_000, () -> !succeeds(() -> store.ping().await()));
      // ...and the store starts over with a new client that asks the other sentinel first
      RedisServer.await("the store to look past the silent sentinel", 30_000,
          () -> succeeds(() -> store.append(new AppendRequest("room:x", "alice", "1", "m-1")).await()));
      // the topology is looked up again every second: calls must keep working, not fail every so often
      long seq = 1;
      long until = System.nanoTime() + 2_500_000_000L;
      while (System.nanoTime() < until) {
        assertEquals(++seq, store.append(new AppendRequest("room:x", "alice", "1", null)).await().seq());
      }
    }
  }

  private static boolean succeeds(Runnable call) {
    try {
      call.run();
      return true;
    } catch (RedisStoreException e) {
      return false;
    }
  }
}
