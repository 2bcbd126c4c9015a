package io.switchboard.gateway;

import io.switchboard.NodeParts;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.Position;
import io.switchboard.store.redis.RedisStore;
import io.switchboard.support.LossyBus;
import io.switchboard.support.RedisServer;
import io.switchboard.support.StoreTaps;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hello reads each stream's head once its consumer is registered; a stream whose start is past
 * that head goes live without reading its log (docs/architecture.md, "Connecting and resuming").
 * What is stored after the head read still reaches the session: live when it comes over the bus
 * before or after the start, and from the log a moment later when the bus lost it, as a publisher
 * that had not learned of the new consumer yet would. The repair sweep runs once a minute here,
 * longer than any wait of these tests, so it cannot be what delivers.
 */
class HelloStartTest {

  static final LossyBus bus = new LossyBus().learnsConsumersLate();
  static final StoreTaps taps = new StoreTaps();
  static RedisServer redis;
  static Vertx storeVertx;
  static TestNode node;

  @BeforeAll
  static void start() {
    redis = RedisServer.ephemeral().start();
    JsonObject config = new JsonObject().put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("delivery", new JsonObject().put("repairIntervalMs", 60_000));
    StoreOptions store = io.switchboard.config.ConfigLoader.load(config, java.util.Map.of()).getStore();
    storeVertx = Vertx.vertx();
    node = TestNode.start(config, NodeParts.defaults().withBus(bus::wrap)
        .withStore(taps.wrap(new RedisStore(storeVertx, store, Clock.systemUTC()))));
  }

  @AfterAll
  static void stop() {
    node.close();
    storeVertx.close().await();
    redis.close();
  }

  @Test
  void aConnectOrAResumeWithNothingMissedReadsNoLog() {
    String user = "hs-gina";
    String stream = "user:" + user;
    long seq;
    try (WsClient sender = node.login("hs-sender-1")) {
      // the stream has a history (its first message starts an epoch, which a live session is told of
      // with a reset and reads), so what follows is an ordinary connect
      sender.sendTo(stream, "before", null);
    }
    try (WsClient sender = node.login("hs-sender-1"); WsClient gina = node.login(user)) {
      resumed(gina, stream);
      resumed(gina, "all");
      seq = sender.sendTo(stream, "one", null).getLong("seq");
      assertEquals(seq, gina.messages(stream, 1).get(0).getLong("seq"));
    }
    try (WsClient gina = node.connect()) {
      gina.hello(Tokens.user(user).sign(), null, new JsonObject().put(stream, seq));
      JsonObject resumed = resumed(gina, stream);
      assertEquals(seq + 1, resumed.getLong("from"), resumed.encode());
      assertEquals(seq, resumed.getLong("to"), resumed.encode());
      resumed(gina, "all");
    }
    assertEquals(0, taps.logReads(stream), "a stream with nothing to replay read its log");
    assertEquals(0, taps.logReads("all"), "a stream with nothing to replay read its log");
  }

  @Test
  void aMessageLostOnTheWayAfterTheHeadReadArrivesFromTheLog() throws Exception {
    String user = "hs-hana";
    String stream = "user:" + user;
    try (WsClient sender = node.login("hs-sender-2"); WsClient hana = node.connect()) {
      HeldHello held = helloUntilHeadRead(hana, user);
      Position head = held.head();
      int headReads = taps.headReads(stream);
      int dropped = bus.dropped();
      bus.drop(d -> d.ordered() && stream.equals(d.stream()), 1);
      long seq = sender.sendTo(stream, "lost on the way", null).getLong("seq");
      assertTrue(seq > head.seq(), "stored after the head read");
      // the check a new consumer gets when its subscription completes has come and gone: what
      // delivers now is the check that follows the start
      RedisServer.await("the head of " + stream + " read again", WsClient.WAIT.toMillis(),
          () -> taps.headReads(stream) >= headReads + 1);
      held.hold().release();
      JsonObject welcome = hana.expect("welcome");
      assertEquals(head.seq(), welcome.getJsonObject("streams").getJsonObject(stream).getLong("head"));
      assertEquals(seq, hana.messages(stream, 1).get(0).getLong("seq"), "the message lost on the way never came");
      assertEquals(dropped + 1, bus.dropped(), "the bus did not lose it");
    }
  }

  @Test
  void aMessageThatCameLiveBeforeTheStartIsDelivered() throws Exception {
    String user = "hs-iris";
    String stream = "user:" + user;
    try (WsClient sender = node.login("hs-sender-3"); WsClient iris = node.connect()) {
      HeldHello held = helloUntilHeadRead(iris, user);
      long seq = sender.sendTo(stream, "came live before the start", null).getLong("seq");
      assertTrue(seq > held.head().seq(), "stored after the head read");
      held.hold().release();
      iris.expect("welcome");
      assertEquals(seq, iris.messages(stream, 1).get(0).getLong("seq"), "the message noted live before the start never came");
    }
  }

  private record HeldHello(StoreTaps.Hold hold, Position head) {
  }

  /** Sends hello and returns once the hello has read the user stream's head, with its answer held. */
  private static HeldHello helloUntilHeadRead(WsClient c, String user) throws Exception {
    StoreTaps.Hold hold = taps.holdHeads("user:" + user);
    c.send(new JsonObject().put("type", "hello").put("token", Tokens.user(user).sign()));
    return new HeldHello(hold, hold.read().get(20, TimeUnit.SECONDS).get("user:" + user));
  }

  private static JsonObject resumed(WsClient c, String stream) {
    return c.await(f -> "resumed".equals(f.getString("type")) && stream.equals(f.getString("stream")));
  }
}
