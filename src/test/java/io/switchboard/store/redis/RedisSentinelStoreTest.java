package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.Store;
import io.switchboard.store.StoreContract;
import io.switchboard.support.RedisSentinelSetup;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.util.List;

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

  @Override
  protected Store create(StoreOptions options, Clock clock) {
    // the contract is about behaviour, not speed: a loaded machine must not fail a correct store
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    options.getRedis().setMode(RedisOptions.Mode.SENTINEL).setUrls(List.of(redis.sentinel().url()))
        .setMasterName(RedisSentinelSetup.MASTER_NAME);
    return new RedisStore(vertx, options, clock);
  }
}
