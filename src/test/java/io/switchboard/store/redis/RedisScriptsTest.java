package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.Position;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MutableClock;
import io.switchboard.support.RedisServer;
import io.switchboard.support.SharedRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Lua scripts on a real standalone Redis: loaded when a connection opens, and a cache flushed under an
 * open connection never lets a later command of a stream run before an earlier one.
 */
class RedisScriptsTest {

  /** Generous: the gates below hold rounds open for a while on a loaded machine. */
  private static final int TIMEOUT_MS = 20_000;
  private static final int LANES = 2;
  private static final String STREAM = "room:order";

  @RegisterExtension
  static final SharedRedis REDIS = new SharedRedis();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private RedisStore store;

  @BeforeEach
  void freshStore() {
    ScriptStats.reset(REDIS.redis());
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(REDIS.redis().url())).setTimeoutMs(TIMEOUT_MS).setPoolSize(LANES);
    store = new RedisStore(REDIS.vertx(), options, clock);
  }

  @AfterEach
  void closeStore() {
    store.close().await();
  }

  @Test
  void everyScriptIsLoadedWhenAConnectionOpensBeforeAnyEvalsha() {
    store.ping().await();
    ScriptStats.assertAllLoaded(REDIS.redis()); // a PING was all that went out, and the scripts came first

    for (int i = 0; i < 20; i++) {
      store.append(new AppendRequest("room:r" + i, "alice", "1", "id")).await();
      store.read("room:r" + i, 1, 10).await();
      store.saveCursor("bob", "phone", "room:r" + i, new Position(1, 1)).await();
    }
    assertEquals(0, ScriptStats.noScriptErrors(REDIS.redis()), "an EVALSHA found no script");
    assertEquals(0, ScriptStats.evals(REDIS.redis()), "the EVAL fallback ran");
  }

  @Test
  void aScriptRegisteredAfterTheConnectionOpenedIsLoadedBeforeItsFirstCall() {
    // one lane, so the call below goes out on the connection that opened before the script existed
    store.close().await();
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(REDIS.redis().url())).setTimeoutMs(TIMEOUT_MS).setPoolSize(1);
    store = new RedisStore(REDIS.vertx(), options, clock);
    store.ping().await();

    int before = LuaScript.registered().size();
    LuaScript late = LuaScript.load("late-test.lua");
    assertEquals(before + 1, LuaScript.registered().size(), "registered only now, after the connection opened");
    Pipeline pipeline = store.pipeline();
    Response r = late.run(pipeline, "late", pipeline.deadline(), List.of("sb:{late}:n"), List.of()).await();
    assertEquals(1L, r.toLong());
    assertEquals(0, ScriptStats.noScriptErrors(REDIS.redis()), "the late script's EVALSHA found no script");
    assertEquals(0, ScriptStats.evals(REDIS.redis()));
  }

  /**
   * The cache is flushed under an open connection; the first append of a round finds no script, then
   * another lane puts the script back before the second append runs. Redis has run the second by
   * the time the first's NOSCRIPT is known, so the first must not be run after it.
   */
  @Test
  void aScriptLoadedElsewhereMidRoundNeverLetsTheSecondAppendOvertakeTheFirst() {
    HeldRound round = holdRoundAfterTheFirstAppendMissed();
    // another lane brings the script back while the second append waits behind the gate
    String otherStream = otherLaneThan(store.pipeline(), STREAM);
    assertEquals(1, store.append(new AppendRequest(otherStream, "alice", "x", null)).await().seq());
    round.open();

    long secondSeq = round.second.await().seq();
    assertEquals(1, secondSeq);
    if (round.first.transform(ar -> Future.succeededFuture(ar.succeeded())).await()) {
      fail("the first append issued got seq " + round.first.result().seq() + ", the second seq " + secondSeq);
    }
    // the first was not run: it fails as a call the client retries with the same id, and comes after
    RedisStoreException e = assertThrows(RedisStoreException.class, round.first::await);
    assertTrue(e.getMessage().startsWith("Redis"), e.getMessage());
    AppendResult retried = store.append(new AppendRequest(STREAM, "alice", "first", "first")).await();
    assertFalse(retried.duplicate(), "the first append was not stored");
    assertEquals(2, retried.seq());
  }

  /** The same round with nothing loading the script in between: both appends are re-sent, in order. */
  @Test
  void afterAFlushTheAppendsOfARoundAreResentInOrder() {
    HeldRound round = holdRoundAfterTheFirstAppendMissed();
    round.open();

    assertEquals(1, round.first.await().seq());
    assertEquals(2, round.second.await().seq());
    assertEquals(2, ScriptStats.noScriptErrors(REDIS.redis()));
  }

  /**
   * The lane of {@link #STREAM} opens its connection (loading the scripts) for a first round that
   * waits on a gate; the cache is flushed; then one round goes out: the first append, a gate (another
   * tag on the same lane), the second append. Returns once Redis has answered the first with
   * NOSCRIPT and holds the second behind the gate.
   */
  private HeldRound holdRoundAfterTheFirstAppendMissed() {
    Pipeline pipeline = store.pipeline();
    String gateTag = sameLaneAs(pipeline, STREAM);
    Future<Response> gate0 = blpop(pipeline, gateTag, "gate0");
    RedisServer.await("the lane to wait on its first gate", 10_000, () -> ScriptStats.blockedClients(REDIS.redis()) == 1);
    REDIS.redis().call("SCRIPT", "FLUSH");

    Future<AppendResult> first = store.append(new AppendRequest(STREAM, "alice", "first", "first"));
    Future<Response> gate1 = blpop(pipeline, gateTag, "gate1");
    Future<AppendResult> second = store.append(new AppendRequest(STREAM, "alice", "second", "second"));
    REDIS.redis().call("LPUSH", gateKey(gateTag, "gate0"), "go");
    gate0.await();
    RedisServer.await("the first append to find no script, and the round to wait on the second gate", 10_000,
        () -> ScriptStats.noScriptErrors(REDIS.redis()) == 1 && ScriptStats.blockedClients(REDIS.redis()) == 1);
    return new HeldRound(first, second, () -> {
      REDIS.redis().call("LPUSH", gateKey(gateTag, "gate1"), "go");
      gate1.await();
    });
  }

  private record HeldRound(Future<AppendResult> first, Future<AppendResult> second, Runnable gate) {
    /** Lets Redis go on with the rest of the round. */
    void open() {
      gate.run();
    }
  }

  private static Future<Response> blpop(Pipeline pipeline, String tag, String gate) {
    return pipeline.send(tag, Request.cmd(Command.BLPOP).arg(gateKey(tag, gate)).arg(TIMEOUT_MS / 1000), pipeline.deadline());
  }

  private static String gateKey(String tag, String gate) {
    return "sb:{" + tag + "}:test-" + gate;
  }

  private static String sameLaneAs(Pipeline pipeline, String stream) {
    for (int i = 0; ; i++) {
      String tag = "gate:" + i;
      if (pipeline.lane(tag) == pipeline.lane(stream)) {
        return tag;
      }
    }
  }

  private static String otherLaneThan(Pipeline pipeline, String stream) {
    for (int i = 0; ; i++) {
      String tag = "room:elsewhere" + i;
      if (pipeline.lane(tag) != pipeline.lane(stream)) {
        return tag;
      }
    }
  }
}
