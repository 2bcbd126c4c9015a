package io.switchboard.store;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.store.redis.RedisStore;
import io.switchboard.support.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node liveness beats, in the in-memory store and in Redis. */
class NodeBeatsTest {

  static Vertx vertx;
  static RedisServer redis;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = RedisServer.ephemeral().start();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    redis.close();
  }

  Store store(String type) {
    if (type.equals("memory")) {
      return new InMemoryStore(new StoreOptions(), clock);
    }
    StoreOptions options = io.switchboard.config.ConfigLoader.load(new JsonObject()
        .put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", redis.url()).put("timeoutMs", StoreContract.CONTRACT_TIMEOUT_MS)),
        java.util.Map.of()).getStore();
    return new RedisStore(vertx, options, clock);
  }

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aBeatLivesItsTimeToLiveUnlessForgotten(String type) {
    Store store = store(type);
    try {
      store.beat(type + "-a", 60_000).await();
      store.beat(type + "-b", 60_000).await();
      store.beat(type + "-short", 300).await();
      assertTrue(store.alive().await().containsAll(Set.of(type + "-a", type + "-b", type + "-short")));
      RedisServer.await("the short beat to expire", 10_000, () -> !store.alive().await().contains(type + "-short"));

      store.forget(type + "-b").await();
      assertEquals(Set.of(type + "-a"), store.alive().await());
      store.forget(type + "-a").await();
    } finally {
      store.close().await();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void movingTheStoresClockKillsNobody(String type) {
    Store store = store(type);
    try {
      store.beat(type + "-clock", 60_000).await();
      // tests move the clock to age data: liveness follows the store's own time, not this one
      clock.advance(Duration.ofDays(30));
      assertTrue(store.alive().await().contains(type + "-clock"));
      store.forget(type + "-clock").await();
    } finally {
      store.close().await();
    }
  }
}
