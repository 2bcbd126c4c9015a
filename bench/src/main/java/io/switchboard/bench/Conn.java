package io.switchboard.bench;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated client: connects, authenticates (hello / Socket.IO connect with auth), optionally
 * joins rooms, then counts what it receives. After a close it reconnects to the group's failover
 * node when one is set, resuming its user stream from the last seq it holds (Switchboard) or
 * connecting afresh (Socket.IO, which has no resume). A client that keeps its positions (the head
 * and epoch of each stream it was told of) can reconnect resuming all of them ({@link #resume}).
 */
final class Conn {

  private static final int MAX_RECONNECT_ATTEMPTS = 30;

  private final Group group;
  final String user;
  /** Joined after the first welcome; ready once every one is joined. */
  private final List<String> rooms;
  /** stream → {seq, epoch}: the user stream's and each joined room's, as a hello's resume; null when not kept. */
  private final JsonObject positions;
  private WebSocket ws;
  private Promise<Long> ready;
  private long startNs;
  private long helloNs;
  private long welcomeNs;
  private long readyNs;
  private boolean reconnecting;
  private int attempts;
  private int joined;
  /** Resuming every kept position: ready at the last stream's "resumed". */
  private boolean resumeAll;
  private int resumed;
  /** How many streams the welcome of a resumeAll listed: each gets one "resumed". */
  private int streams;
  /** The last seq received on this user's own stream (Switchboard resume position). */
  private long lastUserSeq;

  Conn(Group group, String user) {
    this(group, user, group.room == null ? List.of() : List.of(group.room), false);
  }

  Conn(Group group, String user, List<String> rooms, boolean keepPositions) {
    this.group = group;
    this.user = user;
    this.rooms = rooms;
    this.positions = keepPositions ? new JsonObject() : null;
  }

  boolean open() {
    return ws != null && !ws.isClosed() && ready != null && ready.future().succeeded();
  }

  /** The socket is not closed yet (whether or not the client got ready). */
  boolean socketOpen() {
    return ws != null && !ws.isClosed();
  }

  void write(String frame) {
    WebSocket w = ws;
    if (w != null && !w.isClosed()) {
      w.writeTextMessage(frame);
    }
  }

  /** Completes with the handshake-to-ready time in microseconds. */
  io.vertx.core.Future<Long> connect(String host, int port) {
    resumeAll = false;
    return open(host, port);
  }

  /**
   * Reconnects with a hello whose resume holds every kept position; completes, with the time from
   * TCP open, once every stream of the welcome said "resumed".
   */
  io.vertx.core.Future<Long> resume(String host, int port) {
    if (positions == null) {
      throw new IllegalStateException(user + " kept no positions to resume");
    }
    resumeAll = true;
    return open(host, port);
  }

  /** When the TCP connect started, the hello (Socket.IO: its connect packet) was written, the welcome (the connect answer) came, the client was ready: System.nanoTime, 0 until then. */
  long openNs() {
    return startNs;
  }

  long helloNs() {
    return helloNs;
  }

  long welcomeNs() {
    return welcomeNs;
  }

  long readyNs() {
    return readyNs;
  }

  private io.vertx.core.Future<Long> open(String host, int port) {
    if (group.closing) {
      // a batch that timed out goes on starting connects after its group was closed
      return io.vertx.core.Future.failedFuture("group closed");
    }
    ready = Promise.promise();
    startNs = System.nanoTime();
    helloNs = 0;
    welcomeNs = 0;
    readyNs = 0;
    joined = 0;
    resumed = 0;
    streams = 0;
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
        } else if (resumeAll) {
          hello.put("resume", positions.copy());
        }
        helloNs = System.nanoTime();
        ws.writeTextMessage(hello.encode());
      } else if (group.proto == Proto.RAW) {
        done();
      }
    });
    return p.future();
  }

  private void done() {
    long now = System.nanoTime();
    if (!ready.future().isComplete()) {
      readyNs = now;
    }
    if (ready.tryComplete((now - startNs) / 1000) && reconnecting) {
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
      if (s.contains("\"ref\":\"j")) {
        // a join refused: this client will not be ready; said now rather than at the batch's deadline
        ready.tryFail(new IllegalStateException("join refused: " + s));
      }
    } else if (s.startsWith("{\"type\":\"welcome\"")) {
      onWelcome(s);
    } else if (s.startsWith("{\"type\":\"joined\"") && s.contains("\"ref\":\"j")) {
      if (positions != null) {
        JsonObject j = new JsonObject(s);
        positions.put("room:" + j.getString("room"), position(j));
      }
      if (++joined == rooms.size()) {
        done();
      } else {
        join();
      }
    } else if (s.startsWith("{\"type\":\"resumed\"")) {
      if (reconnecting && s.contains("\"stream\":\"user:")) {
        done();
      } else if (resumeAll && ++resumed == streams) {
        done();
      }
    }
  }

  private void onWelcome(String s) {
    welcomeNs = System.nanoTime();
    if (reconnecting) {
      return; // ready at "resumed" for the user stream
    }
    if (resumeAll) {
      streams = new JsonObject(s).getJsonObject("streams").size();
      return;
    }
    if (positions != null) {
      String stream = "user:" + user;
      positions.put(stream, position(new JsonObject(s).getJsonObject("streams").getJsonObject(stream)));
    }
    if (rooms.isEmpty()) {
      done();
      return;
    }
    join();
  }

  /** The next room, once the one before is joined: a client asks one thing at a time, as an application would. */
  private void join() {
    ws.writeTextMessage("{\"type\":\"join\",\"ref\":\"j" + joined + "\",\"room\":\"" + rooms.get(joined) + "\"}");
  }

  /** A stream's head and epoch, from a welcome entry or a joined frame, as a resume position. */
  private static JsonObject position(JsonObject headAndEpoch) {
    return new JsonObject().put("seq", headAndEpoch.getLong("head", 0L)).put("epoch", headAndEpoch.getString("epoch", ""));
  }

  private void onSocketIo(String s) {
    if (s.startsWith("42[\"message\"")) {
      group.stats.onMessage(Proto.scanLong(s, "\"t\":"), true);
    } else if (s.equals("2")) {
      ws.writeTextMessage("3");
    } else if (s.startsWith("0{")) {
      helloNs = System.nanoTime();
      ws.writeTextMessage("40{\"user\":\"" + user + "\"}");
    } else if (s.startsWith("40")) {
      welcomeNs = System.nanoTime();
      if (!rooms.isEmpty() && !reconnecting) {
        for (int i = 0; i < rooms.size(); i++) {
          ws.writeTextMessage("42" + i + "[\"join\",\"" + rooms.get(i) + "\"]");
        }
      } else {
        done();
      }
    } else if (s.startsWith("43")) {
      if (++joined == rooms.size()) {
        done();
      }
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
