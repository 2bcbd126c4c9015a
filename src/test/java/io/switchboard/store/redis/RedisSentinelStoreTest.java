package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.Position;
import io.switchboard.store.Store;
import io.switchboard.store.StoreContract;
import io.switchboard.support.RedisSentinelSetup;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The whole store contract through Sentinel: the store finds the master by asking the sentinel. */
class RedisSentinelStoreTest extends StoreContract {

  private static RedisSentinelSetup redis;
  private static Vertx vertx;

  @BeforeAll
  static void startRedis() {
    redis = new RedisSentinelSetup().start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() {
    vertx.close().await();
    redis.close();
  }

  @BeforeEach
  void flush() {
    redis.master().call("FLUSHALL");
  }

  @Test
  void everyScriptIsLoadedWhenAConnectionToTheMasterOpens() {
    ScriptStats.reset(redis.master());
    Store s = store();
    s.ping().await();
    ScriptStats.assertAllLoaded(redis.master());
    for (int i = 0; i < 10; i++) {
      s.append(new AppendRequest("room:r" + i, "alice", "1", "id")).await();
      s.read("room:r" + i, 1, 10).await();
      s.saveCursor("bob", "phone", "room:r" + i, new Position(1, 1)).await();
    }
    assertEquals(0, ScriptStats.noScriptErrors(redis.master()));
    assertEquals(0, ScriptStats.evals(redis.master()));
  }

  @Override
  protected Store create(StoreOptions options, Clock clock) {
    // the contract is about behaviour, not speed: a loaded machine must not fail a correct store
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    options.getRedis().setMode(RedisOptions.Mode.SENTINEL).setUrls(List.of(redis.sentinel().url()))
        .setMasterName(RedisSentinelSetup.MASTER_NAME);
    return new RedisStore(vertx, options, clock);
  }
}
