package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MutableClock;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.switchboard.support.RedisServer;
import io.switchboard.support.RedisServer.Fsync;
import io.switchboard.support.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What happens to the Redis store when Redis restarts, goes away or stops answering. */
class RedisFailureTest {

  private static final int TIMEOUT_MS = 1_000;
  /** Scheduling slack on a loaded machine, on top of the timeout. */
  private static final long SLACK_MS = 1_000;
  /** For tests that queue thousands of calls: none may be shed (a quarter of this) while they are queued. */
  private static final int QUEUEING_TIMEOUT_MS = 20_000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<RedisServer> servers = new ArrayList<>();
  private Vertx vertx;
  private RedisStore store;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close().await();
    }
    vertx.close().await();
    servers.forEach(RedisServer::close);
  }

  private RedisServer server(Fsync fsync) {
    RedisServer s = (fsync == null ? RedisServer.ephemeral() : RedisServer.withAof(fsync)).start();
    servers.add(s);
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(s.url())).setTimeoutMs(TIMEOUT_MS).setPoolSize(4);
    store = new RedisStore(vertx, options, clock);
    // the first call of a cold JVM (class loading, connecting) may take longer than the timeout
    RedisServer.await("the store to reach Redis", 30_000, () -> answers(store));
    return s;
  }

  private AppendResult append(String stream, String body, String id) {
    return store.append(new AppendRequest(stream, "alice", body, id)).await();
  }

  @Test
  void withAofAlwaysEverythingAcknowledgedSurvivesARestartAndACrash() {
    RedisServer redis = server(Fsync.ALWAYS);
    for (int i = 1; i <= 50; i++) {
      assertEquals(i, append("room:durable", "\"m" + i + "\"", i % 10 == 0 ? "id-" + i : null).seq());
    }

    redis.restart(); // SIGTERM, start again: the AOF is reloaded
    assertBodies(store.read("room:durable", 1, 100).await(), 1, 50);
    assertEquals(51, append("room:durable", "\"m51\"", null).seq(), "seqs continue");
    AppendResult retry = append("room:durable", "\"again\"", "id-20");
    assertTrue(retry.duplicate(), "idempotency keys survive too");
    assertEquals(20, retry.seq());

    redis.kill(); // SIGKILL: nothing gets flushed on the way out, only what was written before each answer
    redis.start();
    assertBodies(store.read("room:durable", 1, 100).await(), 1, 51);
    assertEquals(52, append("room:durable", "\"m52\"", null).seq());
  }

  @Test
  void withRedisDownCallsFailFastAndRecoverWhenItIsBack() {
    RedisServer redis = server(Fsync.ALWAYS);
    assertEquals(1, append("room:x", "1", null).seq());
    redis.stop();

    long append = failsWithin(() -> store.append(new AppendRequest("room:x", "alice", "2", null)));
    long ping = failsWithin(store::ping);
    long read = failsWithin(() -> store.read("room:x", 1, 10));
    assertTrue(append < TIMEOUT_MS + SLACK_MS && ping < TIMEOUT_MS + SLACK_MS && read < TIMEOUT_MS + SLACK_MS,
        "append " + append + " ms, ping " + ping + " ms, read " + read + " ms");

    redis.start(); // same port: the same store object must find it again by itself
    eventually(store::ping);
    assertEquals(2, eventually(() -> store.append(new AppendRequest("room:x", "alice", "2", null))).seq(), "seqs continue");
    assertEquals(List.of(1L, 2L), seqs(store.read("room:x", 1, 10).await()));
  }

  @Test
  void anOutageUnderLoadIsNotAStormOfConnectionAttempts() throws Exception {
    // a "Redis" that accepts and hangs up at once: every connection attempt fails, and is counted
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    try (java.net.ServerSocket dead = new java.net.ServerSocket(0, 1000, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!dead.isClosed()) {
          try (java.net.Socket s = dead.accept()) {
            attempts.incrementAndGet();
          } catch (java.io.IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      StoreOptions options = new StoreOptions();
      options.getRedis().setUrls(List.of("redis://127.0.0.1:" + dead.getLocalPort())).setTimeoutMs(TIMEOUT_MS).setPoolSize(8);
      store = new RedisStore(vertx, options, clock);
      long start = System.nanoTime();
      int refused = 0;
      for (int i = 0; i < 5_000; i++) {
        try {
          store.append(new AppendRequest("room:s" + (i % 50), "alice", "1", null)).await();
        } catch (RedisStoreException expected) {
          refused++;
        }
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(5_000, refused);
      // without backoff every one of the 5000 calls would have tried to connect
      int bound = 8 * (int) (2 + ms / Pipeline.BACKOFF_BASE_MS);
      assertTrue(attempts.get() <= bound, attempts.get() + " connection attempts in " + ms + " ms (bound " + bound + ")");
    }
  }

  @Test
  void callsQueuedBehindAFailedConnectionAttemptFailAtOnceAndTheNextAttemptWaitsForTheBackoff() {
    // Redis is not running yet: the proxy accepts each attempt, counts it and closes it when the
    // target refuses, or holds it until the test lets it fail
    RedisServer redis = RedisServer.ephemeral();
    servers.add(redis);
    try (TcpProxy proxy = new TcpProxy(redis.port())) {
      StoreOptions options = new StoreOptions();
      // one lane, and a timeout long enough that none of the 4096 calls is shed or timed out while queueing
      options.getRedis().setUrls(List.of(proxy.url())).setTimeoutMs(QUEUEING_TIMEOUT_MS).setPoolSize(1);
      store = new RedisStore(vertx, options, clock);

      proxy.holdNew();
      List<Future<AppendResult>> queued = new ArrayList<>();
      for (int i = 0; i < Pipeline.MAX_WAITING; i++) {
        queued.add(store.append(new AppendRequest("room:q", "alice", "1", "q-" + i)));
      }
      RedisServer.await("the first connection attempt", 10_000, () -> proxy.accepted() == 1);
      assertTrue(queued.stream().noneMatch(Future::isComplete), "all queued behind the attempt");

      long start = System.nanoTime();
      proxy.releaseHeld();
      // failed by the attempt's failure, not at their deadline (a cold JVM on a loaded machine may take a while)
      RedisServer.await("the queued calls to fail", QUEUEING_TIMEOUT_MS / 2, () -> queued.stream().allMatch(Future::isComplete));
      long unreachable = queued.stream().filter(f -> f.cause() instanceof RedisStoreException e
          && e.getMessage().startsWith("Redis unreachable; next attempt in ")).count();
      assertTrue(queued.stream().allMatch(Future::failed));

      // calls keep coming while Redis stays down: only those after a lane's backoff try to connect
      long window = TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() - start < window) {
        store.append(new AppendRequest("room:q", "alice", "1", null)).transform(ar -> Future.succeededFuture()).await();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      int attempts = proxy.accepted();
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      int bound = 1 + attemptsAllowedByBackoff(elapsedMs);
      assertAll(
          () -> assertTrue(attempts <= bound, attempts + " connection attempts in " + elapsedMs + " ms on one lane (the backoff allows " + bound + ")"),
          // only the batch the attempt would have carried fails with the attempt's own error
          () -> assertTrue(unreachable >= Pipeline.MAX_WAITING - Pipeline.DEPTH,
              unreachable + " of the queued calls failed as unreachable, expected all but one batch"));

      redis.start(); // on the port behind the proxy
      long back = System.nanoTime();
      eventually(() -> store.append(new AppendRequest("room:q", "alice", "1", "after")));
      long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
      // the backoff, then the first successful call of this store (cold code on a loaded machine)
      assertTrue(recoveredMs <= Pipeline.BACKOFF_MAX_MS + 2 * SLACK_MS, "service came back " + recoveredMs + " ms after Redis");
    }
  }

  /**
   * How many attempts may follow a failed one within {@code ms}: the n-th failure in a row waits at
   * least half (the jitter) of BACKOFF_BASE_MS doubled n times, capped at BACKOFF_MAX_MS.
   */
  private static int attemptsAllowedByBackoff(long ms) {
    int attempts = 0;
    long at = 0;
    for (int failures = 0; ; failures++) {
      long nominal = Math.min(Pipeline.BACKOFF_MAX_MS, Pipeline.BACKOFF_BASE_MS << Math.min(failures, 20));
      at += nominal / 2;
      if (at > ms) {
        return attempts;
      }
      attempts++;
    }
  }

  @Test
  void aFrozenRedisFailsCallsAtTheTimeoutAndTheStoreRecoversWhenItThaws() {
    RedisServer redis = server(null);
    assertEquals(1, append("room:x", "1", null).seq());
    redis.freeze();
    try {
      long append = failsWithin(() -> store.append(new AppendRequest("room:x", "alice", "2", "late")));
      long ping = failsWithin(store::ping);
      long heads = failsWithin(() -> store.heads(List.of("room:x", "room:y")));
      // the first call waits out the timeout (a frozen Redis does not answer); later ones either do
      // too, or fail at once because their connection lane is backing off after the first failure
      assertTrue(append >= TIMEOUT_MS - 50, "the first call failed after " + append + " ms");
      for (long ms : new long[] {append, ping, heads}) {
        assertTrue(ms < TIMEOUT_MS + SLACK_MS, "failed after " + ms + " ms");
      }
    } finally {
      redis.thaw();
    }
    eventually(store::ping);
    // the append that timed out had been written before Redis froze, so Redis ran it on waking up:
    // a timeout says "unknown", not "not stored", which is why clients retry with the same id
    AppendResult retry = eventually(() -> store.append(new AppendRequest("room:x", "alice", "2", "late")));
    assertTrue(retry.duplicate());
    assertEquals(2, retry.seq());
    assertEquals(3, append("room:x", "3", null).seq());
    assertEquals(List.of(1L, 2L, 3L), seqs(store.read("room:x", 1, 10).await()));
  }

  @Test
  void manyCallsOnAFrozenRedisAllFailInTimeAndOnlyLiveOnesAreSentAfterwards() {
    RedisServer redis = server(null);
    append("room:x", "1", null);
    redis.freeze();
    List<Future<AppendResult>> calls = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < 2_000; i++) {
        calls.add(store.append(new AppendRequest("room:s" + (i % 20), "alice", "1", null)));
      }
      for (Future<AppendResult> call : calls) {
        try {
          call.await();
          fail("a frozen Redis answered");
        } catch (RedisStoreException expected) {
          // timed out
        }
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < TIMEOUT_MS + SLACK_MS, "all failed after " + ms + " ms");
    } finally {
      redis.thaw();
    }
    eventually(store::ping);
    // only the commands already written when Redis froze (at most one round per lane) ever ran
    long ran = LongStream.range(0, 20).map(i -> eventually(() -> store.heads(List.of("room:s" + i))).get("room:s" + i).seq()).sum();
    assertTrue(ran <= 4L * Pipeline.DEPTH, ran + " timed-out appends ran after the thaw");
  }

  @Test
  void connectionsToAPeerThatWentSilentAreDroppedAndTheStoreRecoversOnItsOwn() {
    RedisServer redis = RedisServer.ephemeral().start();
    servers.add(redis);
    try (TcpProxy proxy = new TcpProxy(redis.port())) {
      StoreOptions options = new StoreOptions();
      options.getRedis().setUrls(List.of(proxy.url())).setTimeoutMs(TIMEOUT_MS).setPoolSize(2);
      store = new RedisStore(vertx, options, clock);
      RedisServer.await("the store to reach Redis", 30_000, () -> answers(store));
      for (int i = 1; i <= 20; i++) {
        append("room:s" + i, "1", null);
      }

      // no FIN, no RST, no answer: without help these connections would hang until TCP gives up (minutes)
      proxy.silenceOpenConnections();
      long ms = failsWithin(() -> store.append(new AppendRequest("room:s1", "alice", "2", "retry-me")));
      assertTrue(ms < TIMEOUT_MS + SLACK_MS, "failed after " + ms + " ms");

      // each silent connection is closed once its callers gave up; new ones go through
      RedisServer.await("the store to answer again", 30_000, () -> answers(store));
      assertEquals(2, append("room:s1", "2", "retry-me").seq());
    }
  }

  private static boolean answers(RedisStore store) {
    return store.ping().transform(ar -> Future.succeededFuture(ar.succeeded())).await();
  }

  private static long failsWithin(Supplier<Future<?>> call) {
    long start = System.nanoTime();
    try {
      call.get().await();
      fail("expected a failure");
    } catch (RedisStoreException expected) {
      assertTrue(expected.getMessage().startsWith("Redis"), expected.getMessage());
    } catch (RuntimeException other) {
      assertInstanceOf(RedisStoreException.class, other);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void assertBodies(ReadResult page, int from, int to) {
    assertEquals(to, page.head());
    assertEquals(from, page.firstAvailable());
    assertEquals(LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList()), seqs(page));
    for (StoredMessage m : page.messages()) {
      assertEquals("\"m" + m.seq() + "\"", m.body());
    }
  }

  private static List<Long> seqs(ReadResult page) {
    return page.messages().stream().map(StoredMessage::seq).collect(Collectors.toList());
  }

  /**
   * After an outage a connection lane waits out its backoff (at most Pipeline.BACKOFF_MAX_MS) before
   * trying again: a call may fail until then, never after.
   */
  private static <T> T eventually(java.util.function.Supplier<Future<T>> call) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Pipeline.BACKOFF_MAX_MS * 5);
    while (true) {
      try {
        return call.get().await();
      } catch (RedisStoreException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
  }
}
