package io.switchboard.gateway;

import io.switchboard.transport.Connection;
import io.switchboard.transport.ConnectionHandler;

import io.switchboard.auth.Claims;
import io.switchboard.auth.ConnectInfo;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.metrics.GatewayMetrics.Handshake;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameParser;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.routing.ControlEvent;
import io.switchboard.routing.Delivery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client connection speaking protocol v1. Confined to its event loop: every callback that
 * touches it runs there, so it holds plain fields and no locks.
 */
final class Session implements ConnectionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  /**
   * AWAITING_HELLO: only a hello is accepted. AUTHENTICATING: hello is being handled; frames the
   * client sent after it are held, not handled. OPEN: welcome is written and every stream's start is
   * set; held frames are handled first, in order. CLOSED: nothing more is read or written.
   */
  enum State { AWAITING_HELLO, AUTHENTICATING, OPEN, CLOSED }

  /**
   * A hello the node has not completed in this long is given up (1013): every step of it has a
   * deadline of its own (store calls, registrations), so this only catches what should never happen,
   * and a client never waits on a session that reads nothing.
   */
  static final long MAX_HELLO_MS = 30_000;

  final String id;
  final Connection conn;
  final SessionManager manager;
  private final RateLimiter limiter;
  private final long openedAt;
  private final String clientIp;
  private long helloAt;
  private State state = State.AWAITING_HELLO;
  private long lastReceived;
  private long lastSent;
  private long pingSentAt;
  private long fullSince;
  private int rejectedInRow;
  private boolean presenceCounted;
  private boolean cleanedUp;
  private Short closeSent;
  /** Streams waiting for the outbound queue to drain; null when none. */
  private List<SessionStream> stalled;
  /** Sends waiting for a join or leave of their room to be answered. */
  private final RoomOrder roomOrder = new RoomOrder();
  /** Frames that arrived after hello and before the session opened. */
  private final HeldFrames held = new HeldFrames();
  /** When the token was accepted, on the data clock: a kick recorded before it does not apply. */
  private long authenticatedAt;

  Claims claims;
  String device;
  /** The handshake's details for a connect proxy, until the hello is answered; null without one. */
  ConnectInfo connectInfo;
  final RoomFollowing rooms = new RoomFollowing(this);
  /** Streams this session receives: its user stream, {@code all}, and its rooms. */
  final Map<String, SessionStream> streams = new HashMap<>();

  Session(String id, Connection conn, SessionManager manager, String clientIp) {
    this.id = id;
    this.clientIp = clientIp;
    this.conn = conn;
    this.manager = manager;
    long now = System.currentTimeMillis();
    this.openedAt = now;
    this.lastReceived = now;
    this.lastSent = now;
    SwitchboardOptions o = manager.services().options();
    this.limiter = new RateLimiter(o.getLimits().getMessagesPerSecond(), o.getLimits().getMessagesBurst(), now);
  }

  // ---- inbound --------------------------------------------------------------------------------

  @Override
  public void onActivity() {
    lastReceived = System.currentTimeMillis();
    pingSentAt = 0;
  }

  @Override
  public void onText(String text) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.AUTHENTICATING) {
      hold(text);
      return;
    }
    if (!limiter.tryAcquire(lastReceived)) {
      rateLimited();
      return;
    }
    rejectedInRow = 0;
    ClientFrame frame;
    try {
      frame = FrameParser.parse(text, manager.jsonLimits());
    } catch (ProtocolException e) {
      services().metrics().frameIn("invalid");
      if (state == State.AWAITING_HELLO) {
        close(CloseCode.PROTOCOL_VIOLATION, "first frame must be a valid hello: " + e.getMessage());
      } else {
        error(e.ref(), e.code(), e.getMessage());
      }
      return;
    }
    services().metrics().frameIn(frame.type());
    if (state == State.AWAITING_HELLO) {
      if (frame instanceof ClientFrame.Hello) {
        state = State.AUTHENTICATING;
        helloAt = lastReceived;
        // reading stops, but what the transport already read still arrives: see hold()
        conn.pause();
        ClientFrame.Hello hello = (ClientFrame.Hello) frame;
        manager.hellos().enter(this, () -> HelloHandler.handle(this, hello));
      } else {
        close(CloseCode.PROTOCOL_VIOLATION, "first frame must be hello");
      }
      return;
    }
    if (state == State.OPEN) {
      dispatch(frame);
    }
  }

  /**
   * A frame pipelined after hello: it is handled once the session is open, after the streams' start
   * positions are set (a join handled earlier would start the room at its head, over the resume
   * position), and nothing is answered before welcome.
   */
  private void hold(String text) {
    if (!held.hold(text)) {
      services().metrics().frameIn("rate_limited");
      close(CloseCode.RATE_LIMITED, "more than " + HeldFrames.bound() + " sent before welcome");
    }
  }

  private void dispatch(ClientFrame frame) {
    if (frame instanceof ClientFrame.Send send) {
      roomOrder.send(this, send);
    } else if (frame instanceof ClientFrame.Join join) {
      roomOrder.started(join.room(), RoomHandler.join(this, join));
    } else if (frame instanceof ClientFrame.Leave leave) {
      roomOrder.started(leave.room(), RoomHandler.leave(this, leave));
    } else if (frame instanceof ClientFrame.Ack) {
      ack((ClientFrame.Ack) frame);
    } else if (frame instanceof ClientFrame.Ping) {
      write(ServerFrames.pong(((ClientFrame.Ping) frame).ref()), FrameType.PONG);
    } else if (frame instanceof ClientFrame.Refresh) {
      RefreshHandler.handle(this, (ClientFrame.Refresh) frame);
    } else if (frame instanceof ClientFrame.Hello) {
      error(null, ErrorCode.BAD_REQUEST, "already authenticated; use refresh to replace the token");
    }
    // pong: its arrival already counted as activity
  }

  private void rateLimited() {
    services().metrics().frameIn("rate_limited");
    if (++rejectedInRow >= services().options().getLimits().getMaxRateLimitedFrames()) {
      close(CloseCode.RATE_LIMITED, "rate limit exceeded");
    } else {
      error(null, ErrorCode.RATE_LIMITED, "too many frames: limit is "
          + services().options().getLimits().getMessagesPerSecond() + "/s; this frame was dropped");
    }
  }

  private void ack(ClientFrame.Ack ack) {
    SessionStream s = streams.get(ack.stream());
    if (s == null) {
      error(null, ErrorCode.NOT_FOUND, "not receiving stream " + ack.stream());
    } else if (ack.seq() >= s.next()) {
      if (!s.startedOver()) {
        error(null, ErrorCode.BAD_REQUEST, "ack of " + ack.stream() + " seq " + ack.seq()
            + " is beyond the last delivered seq " + (s.next() - 1));
      }
      // after a reset an ack names no epoch: one the client sent before it saw the reset is of the
      // old history, not an error of the client's
    } else {
      s.ack(ack.seq());
    }
  }

  // ---- outbound -------------------------------------------------------------------------------

  /** The outbound queue is at its bound: hold back what can wait or be fetched again. */
  boolean backlogged() {
    return conn.writeQueueFull();
  }

  /** The stream stopped writing until the outbound queue drains. */
  void stalled(SessionStream s) {
    if (stalled == null) {
      stalled = new ArrayList<>(2);
    }
    stalled.add(s);
  }

  @Override
  public void onWritable() {
    if (stalled == null || state == State.CLOSED) {
      return;
    }
    List<SessionStream> waiting = stalled;
    stalled = null;
    for (SessionStream s : waiting) {
      if (receives(s)) {
        s.unstall();
      }
    }
  }

  void write(String frame, String type) {
    if (state == State.CLOSED) {
      return;
    }
    conn.send(frame);
    lastSent = System.currentTimeMillis();
    services().metrics().frameOut(type);
  }

  /** A delivery's frame: encoded once for every recipient of the node, whatever their number. */
  void write(Delivery d, String type) {
    if (state == State.CLOSED) {
      return;
    }
    conn.sendEncoded(d.wire());
    lastSent = System.currentTimeMillis();
    services().metrics().frameOut(type);
  }

  void error(Object ref, ErrorCode code, String message) {
    services().metrics().error(code);
    write(ServerFrames.error(ref, code, message), FrameType.ERROR);
  }

  void close(CloseCode code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    closeSent = code.code();
    if (code == CloseCode.TIMEOUT && !authenticated()) {
      services().metrics().handshake(Handshake.HELLO_TIMEOUT);
    }
    conn.close(code, reason);
    cleanUp();
  }

  @Override
  public void onClosed(Short code) {
    state = State.CLOSED;
    services().metrics().connectionClosed(closeSent != null ? closeSent : code);
    cleanUp();
    manager.connectionClosed();
  }

  private void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    manager.hellos().leave(this);
    held.clear();
    List<String> rooms = roomIds();
    for (SessionStream s : new ArrayList<>(streams.values())) {
      s.flushAck();
      manager.feeds().detach(s.stream(), s);
    }
    streams.clear();
    if (presenceCounted) {
      services().presence().closed(id, claims.user(), rooms);
    }
    manager.remove(this);
  }

  // ---- periodic checks ------------------------------------------------------------------------

  void sweep(long now) {
    SwitchboardOptions o = services().options();
    if (state == State.AWAITING_HELLO && now - openedAt >= o.getProtocol().getHelloTimeoutMs()) {
      close(CloseCode.TIMEOUT, "no hello within " + o.getProtocol().getHelloTimeoutMs() + " ms");
      return;
    }
    if (state == State.AUTHENTICATING && now - helloAt >= MAX_HELLO_MS) {
      services().metrics().handshake(Handshake.FAILED);
      close(CloseCode.TRY_AGAIN_LATER, "hello not completed within " + MAX_HELLO_MS + " ms, try again later");
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    if (claims.expiresAtMs() > 0 && now >= claims.expiresAtMs()) {
      close(CloseCode.UNAUTHORIZED, "token expired");
      return;
    }
    int heartbeat = o.getProtocol().getHeartbeatMs();
    if (pingSentAt > 0) {
      if (now - pingSentAt >= heartbeat) {
        close(CloseCode.TIMEOUT, "no frame within " + heartbeat + " ms of a ping");
        return;
      }
    } else if (now - lastReceived >= heartbeat || now - lastSent >= heartbeat) {
      write(ServerFrames.ping(null), FrameType.PING);
      pingSentAt = now;
    }
    if (conn.writeQueueFull()) {
      if (fullSince == 0) {
        fullSince = now;
      } else if (now - fullSince >= o.getLimits().getSlowConsumerMs()) {
        close(CloseCode.TRY_AGAIN_LATER, "slow consumer: not reading; resume from the log");
      }
    } else {
      fullSince = 0;
      if (stalled != null) {
        // the queue drained without a writability event reaching us: never leave a stream waiting for one
        LOG.warn("session " + id + ": " + stalled.size() + " stream(s) waited for a drained queue; resuming them");
        onWritable();
      }
    }
    for (SessionStream s : streams.values()) {
      if (s.nudge()) {
        // should never happen; if it does, a delivery was lost on this node and the log makes up for it
        LOG.warn("session " + id + ": " + s.stream() + " was catching up with nothing in flight; read the log again");
      }
    }
  }

  // ---- state used by the handlers -------------------------------------------------------------

  Services services() {
    return manager.services();
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  boolean authenticated() {
    return claims != null;
  }

  String user() {
    return claims.user();
  }

  /** Called by the hello handler once the welcome is written and every stream's start is set. */
  void opened() {
    state = State.OPEN;
    manager.hellos().leave(this);
    rooms.opened();
    for (String text : held.takeAll()) {
      if (state != State.OPEN) {
        return;
      }
      onText(text);
    }
    if (state == State.OPEN) {
      conn.resume();
    }
  }

  /** The token was accepted: from now on the session receives the control events about its user. */
  void authenticated(Claims claims) {
    this.claims = claims;
    this.authenticatedAt = services().clock().millis();
    manager.authenticated(this);
  }

  void presenceCounted() {
    presenceCounted = true;
  }

  boolean presenceIsCounted() {
    return presenceCounted;
  }

  /**
   * Starts receiving a stream; the future completes once its consumer is registered. If the
   * registration fails, the stream is gone from the session again (nothing half-attached stays).
   */
  Future<SessionStream> subscribe(String stream) {
    SessionStream s = streams.get(stream);
    if (s != null) {
      return Future.succeededFuture(s);
    }
    SessionStream created = new SessionStream(this, stream);
    streams.put(stream, created);
    return manager.feeds().attach(stream, created).map(created).onFailure(e -> {
      if (streams.get(stream) == created) {
        streams.remove(stream);
      }
      manager.feeds().detach(stream, created);
    });
  }

  void unsubscribe(String stream) {
    SessionStream s = streams.remove(stream);
    if (s != null) {
      s.flushAck();
      manager.feeds().detach(stream, s);
    }
  }

  boolean receives(SessionStream s) {
    return streams.get(s.stream()) == s;
  }

  List<String> roomIds() {
    List<String> rooms = new ArrayList<>();
    for (String stream : streams.keySet()) {
      if (StreamName.kindOf(stream) == StreamName.Kind.ROOM) {
        rooms.add(StreamName.idOf(stream));
      }
    }
    return rooms;
  }

  /** A control event about this session's user: a kick, or a join or leave made elsewhere. */
  void control(ControlEvent e) {
    if (state == State.CLOSED) {
      return;
    }
    if (e.kind() == ControlEvent.Kind.KICK) {
      if (authenticatedAt <= e.at() && (e.session() == null || e.session().equals(id))) {
        close(e.code(), e.reason());
      }
    } else if (!id.equals(e.bySession())) {
      rooms.changed(e);
    }
  }

  /** What the admin's look-up shows of the session. */
  JsonObject describe() {
    return new JsonObject().put("session", id).put("device", device).put("ip", clientIp).put("connectedAt", openedAt)
        .put("rooms", new JsonArray(roomIds()));
  }

  /** The token was replaced by a valid one of the same user. */
  void claimsChanged(Claims newClaims) {
    claims = newClaims;
    rooms.claimsChanged();
  }

  /** The node is stopping: tell the client when to come back (spread out), then close with 1012. */
  void restart(long afterMs) {
    if (isOpen()) {
      write(ServerFrames.reconnect(afterMs), FrameType.RECONNECT);
    }
    close(CloseCode.SERVICE_RESTART, "node shutting down, reconnect to another node");
  }
}
