package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.Store;
import io.switchboard.store.StoreContract;
import io.switchboard.support.LogCapture;
import io.switchboard.support.RedisServer;
import io.switchboard.support.SharedRedis;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract on a real standalone Redis, plus what only Redis has: key layout and expiry. */
class RedisStoreTest extends StoreContract {

  @RegisterExtension
  static final SharedRedis REDIS = new SharedRedis();

  @Override
  protected Store create(StoreOptions options, Clock clock) {
    // the contract is about behaviour, not speed: a loaded machine must not fail a correct store
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    if (options.getRedis().getUrls().equals(List.of(RedisOptions.DEFAULT_URL))) {
      options.getRedis().setUrls(List.of(REDIS.redis().url()));
    }
    return new RedisStore(REDIS.vertx(), options, clock);
  }

  @Test
  void allKeysOfAStreamShareItsHashTag() {
    Store s = store();
    s.append(new AppendRequest("room:lobby", "alice", "1", "m-1")).await();
    s.append(new AppendRequest("room:lobby", "a:b", "1", "c")).await();
    s.append(new AppendRequest("user:bob", "alice", "1", "m-1")).await();
    s.saveCursor("bob", "phone", "room:lobby", new Position(1, 1)).await();
    s.join("lobby", "bob", false, Position.NONE).await();
    s.join("ops", "bob", true, Position.NONE).await();

    Set<String> keys = new TreeSet<>();
    for (Object k : (List<?>) REDIS.redis().call("KEYS", "*")) {
      keys.add((String) k);
    }
    assertEquals(new TreeSet<>(List.of(
        "sb:{room:lobby}:head", "sb:{room:lobby}:log", "sb:{room:lobby}:idem:alice:m-1", "sb:{room:lobby}:idem:a%3Ab:c",
        "sb:{room:lobby}:members", "sb:{room:ops}:members",
        "sb:{user:bob}:head", "sb:{user:bob}:log", "sb:{user:bob}:idem:alice:m-1",
        "sb:{user:bob}:devices", "sb:{user:bob}:cursor:phone", "sb:{user:bob}:rooms", "sb:{user:bob}:granted", "sb:{user:bob}:joined")), keys);
    Pattern tag = Pattern.compile("^sb:\\{([^}]*)}:");
    for (String key : keys) {
      Matcher m = tag.matcher(key);
      assertTrue(m.find(), key);
      assertTrue(m.group(1).equals("room:lobby") || m.group(1).equals("room:ops") || m.group(1).equals("user:bob"), key);
    }
  }

  @Test
  void keysOfAStreamAreCollectedAfterItsLifeAndCursorsAreKept() {
    StoreOptions options = new StoreOptions().setRetentionSeconds(3600).setIdempotencySeconds(600);
    Store s = store(options);
    s.append(new AppendRequest("room:x", "alice", "1", "m-1")).await();
    s.saveCursor("bob", "phone", "room:x", new Position(1, 1)).await();

    // whether a stream is alive is decided by the node's clock; the expiry only collects garbage
    // after that, the head a grace later still, so that a new epoch is seen to follow the old one
    assertTtl("sb:{room:x}:head", 3_600_000 + 2 * MessageLog.IDLE_GRACE_MS);
    assertTtl("sb:{room:x}:log", 3_600_000);
    assertTtl("sb:{room:x}:idem:alice:m-1", 600_000 + RedisLog.IDEMPOTENCY_GRACE_MS);
    assertEquals(-1L, REDIS.redis().call("PTTL", "sb:{user:bob}:cursor:phone"), "cursors do not expire");
    assertEquals(-1L, REDIS.redis().call("PTTL", "sb:{user:bob}:devices"));
  }

  @Test
  void eachUserKeepsTheCursorsOfItsMostRecentDevices() {
    Store s = store();
    for (int d = 0; d <= RedisCursors.MAX_DEVICES_PER_USER; d++) {
      s.saveCursor("bob", "device-" + d, "user:bob", new Position(d + 1, 1)).await();
    }
    assertEquals(Map.of(), s.cursors("bob", "device-0", List.of("user:bob")).await(), "the oldest device is forgotten");
    assertEquals(0L, REDIS.redis().call("EXISTS", "sb:{user:bob}:cursor:device-0"), "and its cursors deleted");
    assertEquals(Map.of("user:bob", new Position(2, 1)), s.cursors("bob", "device-1", List.of("user:bob")).await());
    assertEquals(Map.of("user:bob", new Position(33, 1)), s.cursors("bob", "device-32", List.of("user:bob")).await());

    // an ack makes a device the most recent again: device-1 survives the next newcomer, device-2 does not
    s.saveCursor("bob", "device-1", "user:bob", new Position(2, 1)).await();
    s.saveCursor("bob", "device-33", "user:bob", new Position(1, 1)).await();
    assertEquals(Map.of("user:bob", new Position(2, 1)), s.cursors("bob", "device-1", List.of("user:bob")).await());
    assertEquals(Map.of(), s.cursors("bob", "device-2", List.of("user:bob")).await());
  }

  @Test
  void aFlushedScriptCacheIsReloaded() {
    Store s = store();
    assertEquals(1, s.append(new AppendRequest("room:x", "alice", "1", null)).await().seq());
    REDIS.redis().call("SCRIPT", "FLUSH");
    assertEquals(2, s.append(new AppendRequest("room:x", "alice", "2", null)).await().seq());
    assertEquals(2, s.read("room:x", 1, 10).await().messages().size());
  }

  @Test
  void appendsOfOneStreamKeepTheOrderTheyWereIssuedIn() {
    Store s = store();
    List<Future<AppendResult>> sent = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      sent.add(s.append(new AppendRequest("room:order", "alice", String.valueOf(i), null)));
    }
    for (int i = 1; i <= 500; i++) {
      assertEquals(i, sent.get(i - 1).await().seq());
    }
  }

  /** Readiness and metrics show an outage; the log says when it began, why, and when it ended, once each. */
  @Test
  void anOutageIsLoggedOnceWhenItBeginsAndOnceWhenItEnds() {
    try (LogCapture log = new LogCapture(RedisAvailability.class);
         RedisServer own = RedisServer.ephemeral().start()) {
      Store s = store(withUrl(own.url()));
      s.ping().await();
      own.stop();
      for (int i = 0; i < 5; i++) {
        assertThrows(RedisStoreException.class, () -> s.ping().await());
      }
      own.start();
      RedisServer.await("the store to reach Redis again", 20_000, () -> s.ping().transform(ar -> io.vertx.core.Future
          .succeededFuture(ar.succeeded())).await());
      s.ping().await();
      assertEquals(1, log.count("is not answering"), log.messages().toString());
      assertEquals(1, log.count("answers again"), log.messages().toString());
      assertTrue(log.messages().get(0).contains("127.0.0.1:" + own.port()), log.messages().toString());
    }
  }

  @Test
  void aPasswordProtectedRedisWorksAndPasswordsAppearNeitherInLogsNorInErrors() {
    LogCapture capture = new LogCapture(RedisStore.class);
    List<String> logged;
    try (RedisServer secured = RedisServer.builder().password("s3cret-pass").build().start()) {
      Store good = store(withUrl("redis://:s3cret-pass@127.0.0.1:" + secured.port()));
      assertEquals(1, good.append(new AppendRequest("room:x", "alice", "1", null)).await().seq());

      Store wrong = store(withUrl("redis://default:wr0ng-pass@127.0.0.1:" + secured.port()));
      RedisStoreException e = assertThrows(RedisStoreException.class, () -> wrong.ping().await());
      assertFalse(e.getMessage().contains("wr0ng-pass"), e.getMessage());
    } finally {
      capture.close();
    }
    logged = capture.messages();
    assertTrue(logged.stream().anyMatch(m -> m.contains("redis://***@127.0.0.1:")), logged.toString());
    assertTrue(logged.stream().noneMatch(m -> m.contains("s3cret-pass") || m.contains("wr0ng-pass")), logged.toString());
    // the client's own connection errors name endpoints with their credentials
    String msg = RedisStoreException.of(new IllegalStateException("Failed obtaining connection to: redis://app:s3cret@10.0.0.1:6379")).getMessage();
    assertEquals("Redis unavailable: Failed obtaining connection to: redis://***@10.0.0.1:6379", msg);
  }

  private static StoreOptions withUrl(String url) {
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(url)).setTimeoutMs(1_000);
    return options;
  }

  private static void assertTtl(String key, long expectedMs) {
    long ttl = (Long) REDIS.redis().call("PTTL", key);
    assertTrue(ttl > expectedMs - 60_000 && ttl <= expectedMs, key + " expires in " + ttl + " ms, expected about " + expectedMs);
  }
}
