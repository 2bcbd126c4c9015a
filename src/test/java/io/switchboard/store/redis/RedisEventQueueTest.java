package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.StoreContract;
import io.switchboard.support.SharedRedis;
import io.switchboard.webhooks.EventQueue;
import io.switchboard.webhooks.EventQueueContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

/** The queue contract on a real Redis: a Stream with a consumer group, one script call per operation. */
class RedisEventQueueTest extends EventQueueContract {

  @RegisterExtension
  static final SharedRedis REDIS = new SharedRedis();
  private final List<RedisStore> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(s -> s.close().await());
  }

  @Override
  protected EventQueue queue(int cap, int deadLetterCap) {
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(REDIS.redis().url()));
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    RedisStore store = new RedisStore(REDIS.vertx(), options);
    stores.add(store);
    return store.eventQueue(cap, deadLetterCap);
  }
}
