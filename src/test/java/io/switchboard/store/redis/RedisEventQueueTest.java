package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.StoreContract;
import io.switchboard.support.RedisServer;
import io.switchboard.webhooks.EventQueue;
import io.switchboard.webhooks.EventQueueContract;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

/** The queue contract on a real Redis: a Stream with a consumer group, one script call per operation. */
class RedisEventQueueTest extends EventQueueContract {

  private static RedisServer redis;
  private static Vertx vertx;
  private final List<RedisStore> stores = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.ephemeral().start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() {
    vertx.close().await();
    redis.close();
  }

  @BeforeEach
  void flush() {
    redis.call("FLUSHALL");
  }

  @AfterEach
  void closeStores() {
    stores.forEach(s -> s.close().await());
  }

  @Override
  protected EventQueue queue(int cap, int deadLetterCap) {
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(redis.url()));
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    RedisStore store = new RedisStore(vertx, options);
    stores.add(store);
    return store.eventQueue(cap, deadLetterCap);
  }
}
