package io.switchboard.transport;

import io.switchboard.support.RawUpgrade;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The front door's limits, each exceeded once against a real node, which goes on serving others. */
class HandshakeLimitsTest {

  /** Bound on waiting for the node to see a close, or for a rate to refill. */
  static final long DEADLINE_MS = 20_000;

  @Test
  void aNodeAtCapacityAnswers503WithRetryAfterAndTakesAClientOnceOneLeaves() {
    try (TestNode node = TestNode.start(limits(new JsonObject().put("maxConnections", 2)))) {
      WsClient first = node.login("cap-a");
      try (WsClient second = node.login("cap-b")) {
        try (RawUpgrade refused = RawUpgrade.open(node.port(), "127.0.0.1", Map.of())) {
          assertEquals(503, refused.status());
          assertNotNull(refused.header("Retry-After"), "503 says when to come back");
          assertTrue(Integer.parseInt(refused.header("Retry-After")) > 0);
        }
        first.close();
        // the slot comes back when the node has seen the close
        try (WsClient third = awaitClient(node)) {
          exchange(third, "cap-c");
        }
        assertTrue(metric(node, "capacity") >= 1.0);
      }
    }
  }

  @Test
  void anIpAtItsConnectionLimitGets429WhileOtherIpsAreServed() {
    try (TestNode node = TestNode.start(limits(new JsonObject().put("maxConnectionsPerIp", 2)))) {
      WsClient first = node.login("ip-a");
      try (WsClient second = node.login("ip-b")) {
        try (RawUpgrade refused = RawUpgrade.open(node.port(), "127.0.0.1", Map.of())) {
          assertEquals(429, refused.status());
        }
        exchange(node, "ip-c", new WebSocketClientOptions().setLocalAddress("127.0.0.2"));
        first.close();
        // the slot comes back when the node has seen the close
        awaitUpgrade(node.port(), "127.0.0.1", Map.of()).close();
        assertTrue(metric(node, "ip_limited") >= 1.0);
      }
    }
  }

  @Test
  void handshakesFasterThanTheRateGet429WithRetryAfter() {
    try (TestNode node = TestNode.start(limits(new JsonObject().put("handshakesPerIpPerSecond", 1)))) {
      RawUpgrade refused = null;
      // one token a second: back-to-back handshakes run out unless each took a whole second
      for (int i = 0; i < 20 && refused == null; i++) {
        RawUpgrade answer = RawUpgrade.open(node.port(), "127.0.0.3", Map.of());
        answer.close();
        if (answer.status() != 101) {
          refused = answer;
        }
      }
      assertNotNull(refused, "20 handshakes in a row at 1/s were all accepted");
      assertEquals(429, refused.status());
      assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
      // another IP is not affected, and the limited one gets in again once its bucket refilled
      exchange(node, "rate-a", new WebSocketClientOptions().setLocalAddress("127.0.0.4"));
      awaitUpgrade(node.port(), "127.0.0.3", Map.of()).close();
      assertTrue(metric(node, "rate_limited") >= 1.0);
    }
  }

  @Test
  void xForwardedForCountsOnlyFromATrustedProxy() {
    JsonObject config = limits(new JsonObject().put("maxConnectionsPerIp", 1))
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.5").add("10.0.0.0/8")))
        // the raw upgrades below hold their connections without a hello
        .put("protocol", new JsonObject().put("helloTimeoutMs", 120_000));
    List<RawUpgrade> held = new ArrayList<>();
    try (TestNode node = TestNode.start(config)) {
      int port = node.port();
      // through the trusted proxy: each forwarded client has its own allowance
      held.add(expect(101, port, "127.0.0.5", "198.51.100.7"));
      expect(429, port, "127.0.0.5", "198.51.100.7");
      held.add(expect(101, port, "127.0.0.5", "198.51.100.8"));
      // what the client wrote left of the proxy's entry changes nothing; trusted hops are skipped
      expect(429, port, "127.0.0.5", "203.0.113.1, 198.51.100.7");
      expect(429, port, "127.0.0.5", "198.51.100.7, 10.1.2.3");
      // from an untrusted peer the header is ignored: the peer's own address counts
      held.add(expect(101, port, "127.0.0.6", "198.51.100.9"));
      expect(429, port, "127.0.0.6", "198.51.100.10");
      exchange(node, "xff-a", new WebSocketClientOptions().setLocalAddress("127.0.0.7"));
    } finally {
      held.forEach(RawUpgrade::close);
    }
  }

  @Test
  void aClientThatNeverFinishesItsRequestHeadIsClosedWhileOthersAreServed() throws IOException {
    JsonObject config = new JsonObject().put("http", new JsonObject().put("requestHeadTimeoutMs", 1000));
    try (TestNode node = TestNode.start(config); Socket slow = new Socket()) {
      slow.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.8"), 0));
      // before connecting: the node's clock starts once the connection exists
      long start = System.nanoTime();
      slow.connect(new InetSocketAddress("127.0.0.1", node.port()), (int) DEADLINE_MS);
      slow.setSoTimeout((int) DEADLINE_MS);
      slow.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
      exchange(node, "slow-a", new WebSocketClientOptions());
      assertClosedByServer(slow.getInputStream());
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMs >= 1000, "closed after the timeout, not before: " + tookMs + " ms");
      assertTrue(metric(node, "head_timeout") >= 1.0);
    }
  }

  @Test
  void aRelayedHttpConnectionIsClosedAfterItsAnswerSoAKeepAliveProxyOpensANewOneForAnUpgrade() throws IOException {
    try (TestNode node = TestNode.start(); Socket proxied = new Socket("127.0.0.1", node.port())) {
      proxied.setSoTimeout((int) DEADLINE_MS);
      // what nginx with upstream keepalive sends: HTTP/1.1, keep-alive asked for
      proxied.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
          + "Keep-Alive: timeout=60\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String all;
      try {
        all = new String(proxied.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the relayed connection stayed open after its answer", e);
      }
      assertTrue(all.startsWith("HTTP/1.1 200"), all);
      assertTrue(all.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), all);
      assertTrue(all.contains("\"UP\""), all);
      // the proxy's next request, a WebSocket upgrade, comes on a new connection and is one
      exchange(node, "proxied-a", new WebSocketClientOptions());
    }
  }

  @Test
  void anHttpRequestThatStallsIsClosedAfterTheIdleTimeout() throws IOException {
    JsonObject config = new JsonObject().put("http", new JsonObject().put("idleTimeoutMs", 500));
    try (TestNode node = TestNode.start(config); Socket stalled = new Socket("127.0.0.1", node.port())) {
      stalled.setSoTimeout((int) DEADLINE_MS);
      long start = System.nanoTime();
      // a complete head announcing a body that never comes: past the front door, only the idle timeout holds it
      stalled.getOutputStream().write(("POST /api/v1/streams/user:x/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      try {
        stalled.getInputStream().readAllBytes();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("a stalled HTTP request stayed open for " + DEADLINE_MS + " ms", e);
      }
      assertTrue((System.nanoTime() - start) / 1_000_000 >= 500, "closed after the idle timeout, not before");
      exchange(node, "idle-a", new WebSocketClientOptions());
    }
  }

  /** The limits under test on top of TestNode's (which raises the per-IP ones out of the way). */
  private static JsonObject limits(JsonObject limits) {
    JsonObject all = new JsonObject().put("handshakesPerIpPerSecond", 1000).put("maxConnectionsPerIp", 1000);
    return new JsonObject().put("limits", all.mergeIn(limits));
  }

  private static RawUpgrade expect(int status, int port, String from, String forwardedFor) {
    RawUpgrade answer = RawUpgrade.open(port, from, Map.of("X-Forwarded-For", forwardedFor));
    if (answer.status() != status) {
      answer.close();
      fail("from " + from + " for " + forwardedFor + ": expected " + status + ", got " + answer.status());
    }
    return answer;
  }

  /** Upgrades until one is accepted (a close the node has not seen yet still holds its slot). */
  private static RawUpgrade awaitUpgrade(int port, String from, Map<String, String> headers) {
    AtomicReference<RawUpgrade> accepted = new AtomicReference<>();
    RedisServer.await("an upgrade from " + from + " to be accepted", DEADLINE_MS, () -> {
      RawUpgrade answer = RawUpgrade.open(port, from, headers);
      if (answer.status() == 101) {
        accepted.set(answer);
        return true;
      }
      answer.close();
      return false;
    });
    return accepted.get();
  }

  /** Connects until the node has a slot again (a close it has not seen yet still holds one). */
  private static WsClient awaitClient(TestNode node) {
    AtomicReference<WsClient> connected = new AtomicReference<>();
    RedisServer.await("the node to take a client", DEADLINE_MS, () -> {
      try {
        connected.set(node.connect());
        return true;
      } catch (UpgradeRejectedException e) {
        assertEquals(503, e.getStatus());
        return false;
      }
    });
    return connected.get();
  }

  /** hello/welcome, then a message to the user's own stream that comes back. */
  static void exchange(TestNode node, String user, WebSocketClientOptions options) {
    try (WsClient c = WsClient.connect(node.vertx(), options, node.port(), "/ws", Map.of())) {
      exchange(c, user);
    }
  }

  static void exchange(WsClient c, String user) {
    assertEquals(user, c.hello(Tokens.user(user).sign(), null, null).getString("user"));
    assertEquals("sent", c.sendTo("user:" + user, new JsonObject().put("n", 1), null).getString("type"));
    assertEquals(1, c.messages("user:" + user, 1).get(0).getJsonObject("body").getInteger("n"));
  }

  static void assertClosedByServer(InputStream in) throws IOException {
    try {
      int b = in.read();
      assertEquals(-1, b, "the node answered a request it never got the end of");
    } catch (SocketTimeoutException e) {
      fail("the node kept a connection without a request head open for " + DEADLINE_MS + " ms");
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
  }

  static double metric(TestNode node, String outcome) {
    String body = node.http().get("/metrics").body();
    Matcher m = Pattern.compile("(?m)^switchboard_handshakes_total\\{outcome=\"" + outcome + "\"} ([0-9.eE+-]+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
