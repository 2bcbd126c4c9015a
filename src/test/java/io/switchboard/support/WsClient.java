package io.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real WebSocket client (Vert.x WebSocketClient) driven from the test thread. Every wait has a
 * deadline; nothing sleeps.
 */
public final class WsClient implements AutoCloseable {

  /** Bound on every wait: generous, since a loaded 2-core machine can stall a cluster for seconds. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  /** Frames received but passed over by a selective wait, oldest first. */
  private final ArrayDeque<JsonObject> mailbox = new ArrayDeque<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private JsonObject welcome;
  private volatile boolean answerPings;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if (answerPings && "ping".equals(frame.getString("type"))) {
        JsonObject pong = new JsonObject().put("type", "pong");
        if (frame.containsKey("ref")) {
          pong.put("ref", frame.getValue("ref"));
        }
        ws.writeTextMessage(pong.encode());
      } else {
        frames.add(frame);
      }
    });
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  public static WsClient connect(TestNode node, Map<String, String> headers) {
    return connect(node.vertx(), node.port(), "/ws", headers, 1 << 20);
  }

  public static WsClient connectPath(TestNode node, String path) {
    return connect(node.vertx(), node.port(), path, Map.of(), 1 << 20);
  }

  public static WsClient connect(Vertx vertx, int port, String path, Map<String, String> headers, int maxFrameSize) {
    return connect(vertx, new WebSocketClientOptions().setMaxFrameSize(maxFrameSize).setMaxMessageSize(maxFrameSize),
        port, path, headers);
  }

  /** With the client's own options: a local address (127.0.0.2 is another client IP), TLS. */
  public static WsClient connect(Vertx vertx, WebSocketClientOptions clientOptions, int port, String path,
                                 Map<String, String> headers) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    // no Origin unless the test gives one, like a mobile app or a server (Vert.x adds one by default,
    // and with allowOriginHeader off it strips a given one too)
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
        .setAllowOriginHeader(headers.containsKey("Origin"));
    headers.forEach(options::addHeader);
    try {
      return new WsClient(client, client.connect(options).await());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  // ---- sending --------------------------------------------------------------------------------

  public WsClient send(JsonObject frame) {
    ws.writeTextMessage(frame.encode()).await();
    return this;
  }

  public WsClient sendText(String text) {
    ws.writeTextMessage(text).await();
    return this;
  }

  /** For floods: false once the server has closed the connection instead of failing the test. */
  public boolean trySendText(String text) {
    try {
      ws.writeTextMessage(text).await();
      return true;
    } catch (RuntimeException closed) {
      return false;
    }
  }

  public WsClient sendFrame(WebSocketFrame frame) {
    ws.writeFrame(frame).await();
    return this;
  }

  public WsClient sendBinary(Buffer data) {
    ws.writeBinaryMessage(data).await();
    return this;
  }

  /**
   * From now on answers the server's {@code ping} with {@code pong}, as docs/protocol.md asks of every
   * client, without showing the ping to the test. Off by default: most tests want to see pings, and
   * a test that must hold idle connections past two heartbeats (50 s by default, a test of cluster
   * faults on a loaded machine) would otherwise see them closed with 4408.
   */
  public WsClient answerPings() {
    answerPings = true;
    return this;
  }

  /** The welcome of the last hello. */
  public JsonObject welcome() {
    return welcome;
  }

  /** hello, then waits for welcome and returns it. */
  public JsonObject hello(String token, String device, JsonObject resume) {
    JsonObject hello = new JsonObject().put("type", "hello").put("token", token);
    if (device != null) {
      hello.put("device", device);
    }
    if (resume != null) {
      hello.put("resume", resume);
    }
    send(hello);
    welcome = expect("welcome");
    return welcome;
  }

  /** Sends a message and returns the {@code sent} answer (or the error, if that is what came). */
  public JsonObject sendTo(String stream, Object body, String id) {
    String ref = "r" + System.nanoTime();
    JsonObject send = new JsonObject().put("type", "send").put("ref", ref).put("to", stream).put("body", body);
    if (id != null) {
      send.put("id", id);
    }
    send(send);
    return await(f -> ref.equals(f.getValue("ref")));
  }

  public JsonObject join(String room) {
    String ref = "j" + System.nanoTime();
    send(new JsonObject().put("type", "join").put("ref", ref).put("room", room));
    return await(f -> ref.equals(f.getValue("ref")));
  }

  public JsonObject leave(String room) {
    String ref = "l" + System.nanoTime();
    send(new JsonObject().put("type", "leave").put("ref", ref).put("room", room));
    return await(f -> ref.equals(f.getValue("ref")));
  }

  /** Stops reading from the socket, like a client whose app hangs: the server's writes back up. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  // ---- receiving ------------------------------------------------------------------------------

  /** The next frame not yet taken, whatever it is. */
  public JsonObject next() {
    return await(f -> true);
  }

  /** The next frame not yet taken, which must be of this type. */
  public JsonObject expect(String type) {
    JsonObject f = next();
    assertEquals(type, f.getString("type"), "unexpected frame " + f.encode());
    return f;
  }

  /**
   * Selective receive: takes the first frame (oldest first) that matches, leaving the others in
   * order for later calls. Fails at the deadline.
   */
  public JsonObject await(Predicate<JsonObject> match) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (Iterator<JsonObject> it = mailbox.iterator(); it.hasNext(); ) {
      JsonObject f = it.next();
      if (match.test(f)) {
        it.remove();
        return f;
      }
    }
    while (System.nanoTime() < deadline) {
      try {
        JsonObject f = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        if (f == null) {
          break;
        }
        if (match.test(f)) {
          return f;
        }
        mailbox.add(f);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    fail("no matching frame within " + WAIT + (closed.isDone() ? " (closed with " + closed.getNow(null) + " "
        + ws.closeReason() + ")" : "") + "; unmatched frames: " + mailbox);
    return null;
  }

  public JsonObject awaitType(String type) {
    return await(f -> type.equals(f.getString("type")));
  }

  /** The next {@code count} message frames of a stream, leaving frames of other kinds. */
  public List<JsonObject> messages(String stream, int count) {
    List<JsonObject> out = new ArrayList<>();
    while (out.size() < count) {
      out.add(await(f -> "message".equals(f.getString("type")) && stream.equals(f.getString("stream"))));
    }
    return out;
  }

  /** Frames received and not taken yet, without waiting. */
  public List<JsonObject> drain() {
    frames.drainTo(mailbox);
    List<JsonObject> out = new ArrayList<>(mailbox);
    mailbox.clear();
    return out;
  }

  /** Waits for the connection to close and returns the close code the server sent. */
  public short awaitClose() {
    try {
      Short code = closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return code == null ? -1 : code;
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + WAIT, e);
    }
  }

  public String closeReason() {
    return ws.closeReason();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Closes from the client side and waits until the server saw it. */
  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close().await();
      awaitClose();
    }
    client.close();
  }
}
