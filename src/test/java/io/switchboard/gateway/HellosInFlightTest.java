package io.switchboard.gateway;

import io.switchboard.metrics.GatewayMetrics.ConnectLine;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that works on one hello at a time (limits.hellosInFlight 1, one gateway loop): the
 * others wait in line, and every one of them is welcomed in turn, however many give up while
 * waiting for their 101 or for their welcome.
 */
class HellosInFlightTest {

  static RedisServer redis;
  static TestNode node;

  @BeforeAll
  static void start() {
    redis = RedisServer.ephemeral().start();
    node = TestNode.start(new JsonObject().put("store", new JsonObject().put("type", "redis"))
        // long enough that a hello stuck on a frozen Redis outlasts the freeze
        .put("redis", new JsonObject().put("url", redis.url()).put("timeoutMs", 20_000))
        .put("http", new JsonObject().put("instances", 1))
        // long enough that a silent client's place could only come back from the front door
        .put("protocol", new JsonObject().put("helloTimeoutMs", 120_000))
        .put("limits", new JsonObject().put("hellosInFlight", 1)));
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.close();
  }

  @Test
  void aCrowdIsWelcomedInTurnHoweverManyGiveUpWhileWaiting() throws Exception {
    WebSocketClient client = node.vertx().createWebSocketClient();
    List<Socket> notWaitingFor101 = new ArrayList<>();
    try {
      List<Future<Welcome>> crowd = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        crowd.add(welcomeOf(client, "line-" + i, false));
        if (i % 4 == 0) {
          notWaitingFor101.add(upgradeRequest());
          welcomeOf(client, "line-gone-" + i, true); // leaves right after its hello
        }
      }
      for (Socket s : notWaitingFor101) {
        s.close();
      }
      List<Welcome> welcomes = Future.all(crowd).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
          .<Welcome>list();
      Set<String> users = new TreeSet<>();
      welcomes.forEach(w -> users.add(w.user()));
      assertEquals(20, users.size());
      // a newcomer after the crowd is not kept waiting by places the crowd never gave back
      try (WsClient late = node.connect()) {
        assertEquals("line-late", late.hello(Tokens.user("line-late").sign(), null, null).getString("user"));
      }
    } finally {
      for (Socket s : notWaitingFor101) {
        s.close();
      }
      client.close();
    }
  }

  @Test
  void clientsThatSayNothingAfterTheirUpgradeDoNotKeepOthersFromTheirs() {
    // one loop lets 4 clients (4 per hello in flight) be answered 101 before they say hello
    List<WsClient> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        silent.add(node.connect());
      }
      try (WsClient next = node.connect()) {
        assertEquals("line-next", next.hello(Tokens.user("line-next").sign(), null, null).getString("user"));
      }
      // the silent ones may still say hello
      assertEquals("line-silent", silent.get(0).hello(Tokens.user("line-silent").sign(), null, null).getString("user"));
    } finally {
      silent.forEach(WsClient::close);
    }
  }

  @Test
  void aHelloWaitingInLineIsCountedUntilItIsTakenOn() throws Exception {
    AtomicInteger waiting = node.services().metrics().connectsWaiting(ConnectLine.HELLO);
    WebSocketClient client = node.vertx().createWebSocketClient();
    redis.freeze(); // the first hello holds the only place, its store calls unanswered
    try {
      Future<Welcome> first = welcomeOf(client, "line-frozen-1", false);
      Future<Welcome> second = welcomeOf(client, "line-frozen-2", false);
      RedisServer.await("the second hello counted as waiting", 10_000, () -> waiting.get() == 1);
      redis.thaw();
      assertEquals("line-frozen-1", first.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).user());
      assertEquals("line-frozen-2", second.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).user());
      assertEquals(0, waiting.get());
    } finally {
      redis.thaw();
      client.close();
    }
  }

  private record Welcome(String user) {
  }

  /** Connects, says hello, and completes with its welcome; the socket is left open unless {@code leave}. */
  private static Future<Welcome> welcomeOf(WebSocketClient client, String user, boolean leave) {
    Promise<Welcome> welcomed = Promise.promise();
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI(GatewayVerticle.WS_PATH)
        .setTimeout(30_000)).onComplete(ar -> {
          if (ar.failed()) {
            welcomed.tryFail(ar.cause());
            return;
          }
          ar.result().textMessageHandler(text -> {
            JsonObject frame = new JsonObject(text);
            if ("welcome".equals(frame.getString("type"))) {
              welcomed.tryComplete(new Welcome(frame.getString("user")));
            }
          });
          ar.result().writeTextMessage(new JsonObject().put("type", "hello").put("token", Tokens.user(user).sign()).encode());
          if (leave) {
            ar.result().close();
          }
        });
    return welcomed.future();
  }

  /** A TCP connection that has sent a WebSocket upgrade request and reads nothing. */
  private static Socket upgradeRequest() throws Exception {
    Socket s = new Socket("127.0.0.1", node.port());
    OutputStream out = s.getOutputStream();
    out.write(("GET " + GatewayVerticle.WS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }
}
