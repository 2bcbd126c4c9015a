package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.Position;
import io.switchboard.store.Store;
import io.switchboard.store.StoreContract;
import io.switchboard.support.RedisCluster;
import io.switchboard.support.RedisServer;
import io.switchboard.webhooks.EventQueue;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole store contract on a real three-master Redis Cluster. */
class RedisClusterStoreTest extends StoreContract {

  private static RedisCluster cluster;
  private static Vertx vertx;

  @BeforeAll
  static void startCluster() {
    cluster = new RedisCluster().start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    vertx.close().await();
    cluster.close();
  }

  @BeforeEach
  void flush() {
    cluster.flushAll();
  }

  @Override
  protected Store create(StoreOptions options, Clock clock) {
    // the contract is about behaviour, not speed: a loaded machine must not fail a correct store
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    options.getRedis().setMode(RedisOptions.Mode.CLUSTER).setUrls(cluster.urls());
    return new RedisStore(vertx, options, clock);
  }

  /** Whole keys, hash tags, an empty tag (the whole key counts), unclosed and nested braces, non-ASCII. */
  @Test
  void slotsAreComputedAsTheClusterDoes() {
    RedisServer any = cluster.nodeOf("foo");
    for (String key : List.of("foo", "bar", "{user1000}.following", "foo{}{bar}", "foo{bar}{zap}", "foo{bar", "{}",
        "a}b{c}", "sb:{user:ünï}:log", Keys.log("room:a}b"), Keys.outbox("user:bob", true))) {
      assertEquals(((Number) any.call("CLUSTER", "KEYSLOT", key)).intValue(), SlotTags.slot(key), key);
    }
  }

  /** Each note lives in its stream's slot, so the append script could write it; all are found and settled. */
  @Test
  void webhookOutboxNotesLiveInTheSlotsOfTheirStreams() {
    List<String> streams = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      streams.add(i % 2 == 0 ? "user:u" + i : "room:r" + i);
    }
    RedisStore s = (RedisStore) store();
    streams.forEach(stream -> s.append(new AppendRequest(stream, "alice", "1", null, true)).await());
    Set<RedisServer> used = new HashSet<>();
    for (String stream : streams) {
      RedisServer node = cluster.nodeOf(Keys.log(stream));
      assertEquals(node, cluster.nodeOf(Keys.outbox(stream, true)), stream);
      assertEquals(1L, node.call("XLEN", Keys.outbox(stream, true)), stream);
      used.add(node);
    }
    assertEquals(3, used.size(), "notes on all three masters");
    EventQueue queue = s.eventQueue(100, 100);
    assertEquals(streams.size(), queue.unsettled(0, 100).await().size());
    assertEquals(List.of(), queue.unsettled(0, 100).await(), "a Cluster's outboxes searched at most every 10 s");
    cluster.flushAll();
    RedisOutboxTest.noteFindAndSettle(s, streams);
    RedisOutboxTest.membershipNotes(s);
  }

  @Test
  void streamsSpreadOverTheNodesAndEachStreamStaysOnOne() {
    Store s = store();
    Map<String, Long> expected = new HashMap<>();
    Set<RedisServer> used = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String stream = "room:r" + i;
      for (int n = 0; n <= i % 3; n++) {
        s.append(new AppendRequest(stream, "alice", "1", "id-" + n)).await();
      }
      expected.put(stream, (long) (i % 3) + 1);
      RedisServer node = cluster.nodeOf(Keys.head(stream));
      used.add(node);
      for (String key : List.of(Keys.head(stream), Keys.log(stream), Keys.idempotency(stream, "alice", "id-0"))) {
        assertEquals(1L, node.call("EXISTS", key), key + " on the node of its stream");
      }
    }
    assertEquals(3, used.size(), "30 streams use all three masters");
    expected.put("room:never", 0L);
    Map<String, Long> heads = new HashMap<>();
    s.heads(expected.keySet()).await().forEach((stream, head) -> heads.put(stream, head.seq()));
    assertEquals(expected, heads, "heads gathered from every node");
  }

  @Test
  void everyScriptIsLoadedOnEveryMasterWhenAConnectionOpens() {
    cluster.nodes().forEach(ScriptStats::reset);
    Store s = store();
    s.ping().await();
    // a PING goes to one node, yet every master has every script before an EVALSHA was written
    cluster.nodes().forEach(ScriptStats::assertAllLoaded);

    for (int i = 0; i < 30; i++) {
      s.append(new AppendRequest("room:r" + i, "alice", "1", "id")).await();
      s.read("room:r" + i, 1, 10).await();
      s.saveCursor("user" + i, "phone", "room:r" + i, new Position(1, 1)).await();
    }
    for (RedisServer node : cluster.nodes()) {
      assertEquals(0, ScriptStats.noScriptErrors(node), "NOSCRIPT on port " + node.port());
      assertEquals(0, ScriptStats.evals(node), "EVAL fallbacks on port " + node.port());
    }
  }

  @Test
  void aCacheFlushedUnderOpenConnectionsIsRefilledOnEveryNode() {
    Store s = store();
    for (int i = 0; i < 30; i++) {
      assertEquals(1, s.append(new AppendRequest("room:r" + i, "alice", "1", null)).await().seq());
    }
    cluster.nodes().forEach(ScriptStats::reset);
    for (int i = 0; i < 30; i++) {
      assertEquals(2, s.append(new AppendRequest("room:r" + i, "alice", "2", null)).await().seq(), "room:r" + i);
    }
    cluster.nodes().forEach(ScriptStats::assertAllLoaded);
  }

  /**
   * Without access to a cluster connection's node connections, SCRIPT LOAD goes through the cluster
   * connection itself, with a reducer: vertx-redis-client then sends a keyless command to the master
   * of every slot range instead of to one random node.
   */
  @Test
  void withoutTheNodeConnectionsAReducerTakesScriptLoadToEveryMaster() {
    cluster.nodes().forEach(ScriptStats::reset);
    RedisOptions options = new RedisOptions().setMode(RedisOptions.Mode.CLUSTER).setUrls(cluster.urls())
        .setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS).setPoolSize(1);
    ClientGenerations clients = new ClientGenerations(vertx, r -> RedisClients.create(vertx, options, r),
        options.getTimeoutMs(), "test cluster");
    Pipeline pipeline = new Pipeline(vertx, clients, 1, options.getTimeoutMs(), ConnectionScripts.throughClusterConnection());
    try {
      pipeline.send(Request.cmd(Command.PING)).await();
      cluster.nodes().forEach(ScriptStats::assertAllLoaded);
    } finally {
      pipeline.close().await();
    }
  }

  @Test
  void membershipAndCursorsSpanSlots() {
    Store s = store();
    for (int i = 0; i < 20; i++) {
      assertTrue(s.join("room" + i, "bob", false, Position.NONE).await());
      s.saveCursor("user" + i, "phone", "room:room" + i, new Position(i + 1, 1)).await();
    }
    Set<String> rooms = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      rooms.add("room" + i);
      assertEquals(Set.of("bob"), s.members("room" + i).await());
      assertEquals(Map.of("room:room" + i, new Position(i + 1, 1)), s.cursors("user" + i, "phone", List.of("room:room" + i)).await());
    }
    assertEquals(rooms, s.rooms("bob").await().keySet());
  }
}
