package io.switchboard.bench;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated client: connects, authenticates (hello / Socket.IO connect with auth), optionally
 * joins a room, then counts what it receives. After a close it reconnects to the group's failover
 * node when one is set, resuming its user stream from the last seq it holds (Switchboard) or
 * connecting afresh (Socket.IO, which has no resume).
 */
final class Conn {

  private static final int MAX_RECONNECT_ATTEMPTS = 30;

  private final Group group;
  final String user;
  private WebSocket ws;
  private Promise<Long> ready;
  private long startNs;
  private boolean reconnecting;
  private int attempts;
  /** The last seq received on this user's own stream (Switchboard resume position). */
  private long lastUserSeq;

  Conn(Group group, String user) {
    this.group = group;
    this.user = user;
  }

  boolean open() {
    return ws != null && !ws.isClosed() && ready != null && ready.future().succeeded();
  }

  void write(String frame) {
    WebSocket w = ws;
    if (w != null && !w.isClosed()) {
      w.writeTextMessage(frame);
    }
  }

  /** Completes with the handshake-to-ready time in microseconds. */
  io.vertx.core.Future<Long> connect(String host, int port) {
    ready = Promise.promise();
    startNs = System.nanoTime();
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(host).setPort(port)
        .setURI(group.proto.path).setConnectTimeout(30_000).setTimeout(30_000);
    Promise<Long> p = ready;
    group.client.connect(o).onComplete(ar -> {
      if (ar.failed()) {
        p.tryFail(ar.cause());
        return;
      }
      ws = ar.result();
      WebSocket mine = ws;
      ws.textMessageHandler(this::onText);
      ws.exceptionHandler(e -> { });
      ws.closeHandler(v -> onClose(mine, p));
      if (group.proto == Proto.SB) {
        JsonObject hello = new JsonObject().put("type", "hello").put("token", group.jwt.token(user)).put("client", "bench");
        if (reconnecting) {
          hello.put("resume", new JsonObject().put("user:" + user, lastUserSeq));
        }
        ws.writeTextMessage(hello.encode());
      } else if (group.proto == Proto.RAW) {
        done();
      }
    });
    return p.future();
  }

  private void done() {
    if (ready.tryComplete((System.nanoTime() - startNs) / 1000) && reconnecting) {
      reconnecting = false;
      group.stats.reconnected.incrementAndGet();
      group.stats.lastReconnectNs.accumulate(System.nanoTime());
    }
  }

  private void onText(String s) {
    switch (group.proto) {
      case SB -> onSwitchboard(s);
      case SIO -> onSocketIo(s);
      case RAW -> group.stats.onMessage(Proto.scanLong(s, "\"t\":"), true);
    }
  }

  private void onSwitchboard(String s) {
    if (s.startsWith("{\"type\":\"message\"")) {
      long seq = Proto.scanLong(s, "\"seq\":");
      boolean fresh = true;
      if (s.contains("\"stream\":\"user:")) {
        fresh = seq > lastUserSeq;
        lastUserSeq = Math.max(lastUserSeq, seq);
      }
      group.stats.onMessage(Proto.scanLong(s, "\"t\":"), fresh);
    } else if (s.startsWith("{\"type\":\"sent\"")) {
      group.stats.acked.incrementAndGet();
    } else if (s.startsWith("{\"type\":\"ping\"")) {
      ws.writeTextMessage("{\"type\":\"pong\"}");
    } else if (s.startsWith("{\"type\":\"error\"")) {
      if (group.stats.errors.incrementAndGet() <= 5) {
        System.err.println("[worker] error frame: " + s);
      }
    } else if (s.startsWith("{\"type\":\"welcome\"")) {
      if (reconnecting) {
        return; // ready at "resumed" for the user stream
      }
      if (group.room != null) {
        ws.writeTextMessage("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + group.room + "\"}");
      } else {
        done();
      }
    } else if (s.startsWith("{\"type\":\"joined\"") && s.contains("\"ref\":\"j\"")) {
      done();
    } else if (s.startsWith("{\"type\":\"resumed\"") && s.contains("\"stream\":\"user:")) {
      if (reconnecting) {
        done();
      }
    }
  }

  private void onSocketIo(String s) {
    if (s.startsWith("42[\"message\"")) {
      group.stats.onMessage(Proto.scanLong(s, "\"t\":"), true);
    } else if (s.equals("2")) {
      ws.writeTextMessage("3");
    } else if (s.startsWith("0{")) {
      ws.writeTextMessage("40{\"user\":\"" + user + "\"}");
    } else if (s.startsWith("40")) {
      if (group.room != null && !reconnecting) {
        ws.writeTextMessage("420[\"join\",\"" + group.room + "\"]");
      } else {
        done();
      }
    } else if (s.startsWith("430")) {
      done();
    } else if (s.startsWith("44")) {
      ready.tryFail(new IllegalStateException("connect_error " + s));
    }
  }

  private void onClose(WebSocket which, Promise<Long> p) {
    if (which != ws) {
      return;
    }
    group.stats.closes.incrementAndGet();
    if (!p.future().isComplete()) {
      p.tryFail(new IllegalStateException("closed before ready (" + which.closeStatusCode() + ")"));
    }
    if (group.failoverHost != null && !group.closing && p.future().succeeded()) {
      reconnecting = true;
      attempts = 0;
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    long delay = 1 + ThreadLocalRandom.current().nextLong(Math.max(1, group.jitterMs)) + Math.min(2000, attempts * 200L);
    group.vertx.setTimer(delay, t -> {
      if (group.closing) {
        return;
      }
      connect(group.failoverHost, group.failoverPort).onFailure(e -> {
        if (++attempts < MAX_RECONNECT_ATTEMPTS && !group.closing) {
          scheduleReconnect();
        } else {
          group.stats.reconnectFailures.incrementAndGet();
        }
      });
    });
  }

  void close() {
    WebSocket w = ws;
    if (w != null && !w.isClosed()) {
      w.close();
    }
  }
}
