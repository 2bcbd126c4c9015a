package io.switchboard.client.internal;

import io.switchboard.client.CloseCodes;
import io.switchboard.client.ConnectionState;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.Position;
import io.switchboard.client.SwitchboardException;
import io.switchboard.client.Welcome;
import okhttp3.Request;
import okhttp3.WebSocket;
import org.json.JSONObject;

import java.util.List;
import java.util.Map;

/**
 * The connection's lifecycle: one socket at a time, opened with a token, welcomed, given up when
 * dead, opened again as {@link Retries} says or closed for good; paused, resumed and closed as the
 * application asks. Each attempt has a generation: a socket callback or a token of an older one
 * finds it changed and does nothing. Confined to the loop thread.
 */
final class Connection implements Inbound.Lifecycle {
  /** A socket given up by the client (dead, timed out, no longer wanted): as if lost. */
  static final int LOCAL_DROP = CloseCodes.ABNORMAL;

  /** What the lifecycle needs of the rest of the engine; called on the loop thread. */
  interface Host {
    /** A socket is about to open with a token for {@code subject} (null when the token does not say). */
    void opening(String subject);

    /** hello's resume map. */
    JSONObject resumeMap();

    void frame(String text);

    /** Welcomed as {@code user}: the streams listed in the welcome ({@code streams}, may be null) start. */
    Map<String, Position> welcomed(long now, String user, JSONObject streams);

    /** Joins again the lost rooms that queued sends wait for, ahead of them: the rooms, for the welcome event. */
    List<String> rejoin();

    /** Welcomed, and the application told: what waited may go. */
    void online();

    /** Alive: requests unanswered too long may go again. */
    void alive(long now);

    /** The socket is gone: what was in flight goes again on the next one. */
    void lost(boolean wasWelcomed);

    /** Closed for good: what waits for the connection fails. */
    void ended(int code, String reason);
  }

  private final Options o;
  private final Loop loop;
  private final Events events;
  private final Status status;
  private final Tokens tokens;
  private final Host host;
  private final Transport transport;
  private final Liveness liveness;
  private final Retries retries;

  private int gen;
  private boolean opening;
  private boolean welcomed;
  private boolean everWelcomed;
  private boolean started;
  private boolean stopped;
  private boolean paused;
  private long welcomedAt;

  private final SocketCallbacks.Target socket = new SocketCallbacks.Target() {
    @Override
    public boolean current(int g, WebSocket s) {
      return g == gen && transport.isCurrent(s);
    }

    @Override
    public void opened() {
      JSONObject hello = Json.object();
      Json.put(hello, "type", "hello");
      Json.put(hello, "token", tokens.current());
      Json.put(hello, "client", o.clientName);
      if (o.device != null) {
        Json.put(hello, "device", o.device);
      }
      JSONObject resume = host.resumeMap();
      if (resume.length() > 0) {
        Json.put(hello, "resume", resume);
      }
      send(hello);
    }

    @Override
    public void frame(String text) {
      liveness.frame();
      host.frame(text);
    }

    @Override
    public void closed(int code, String reason, long retryAfterMs, boolean refused) {
      detach();
      disconnected(code, reason, refused, retryAfterMs);
      if (refused) {
        terminate(0, reason);
      }
    }
  };

  Connection(Options o, Loop loop, Events events, Status status, Tokens tokens, Host host) {
    this.o = o;
    this.loop = loop;
    this.events = events;
    this.status = status;
    this.tokens = tokens;
    this.host = host;
    this.transport = new Transport(o);
    this.liveness = new Liveness(o, loop, new Liveness.Socket() {
      @Override
      public boolean open() {
        return transport.isOpen();
      }

      @Override
      public boolean welcomed() {
        return welcomed;
      }

      @Override
      public void drop(String reason) {
        Connection.this.drop(reason, false);
      }

      @Override
      public void alive(long now) {
        host.alive(now);
      }
    });
    this.retries = new Retries(o, loop, tokens, status, new Retries.Lifecycle() {
      @Override
      public void open() {
        Connection.this.open();
      }

      @Override
      public void terminate(int code, String reason) {
        Connection.this.terminate(code, reason);
      }
    });
  }

  /** Welcomed, with a socket: frames may go. */
  boolean ready() {
    return welcomed && transport.isOpen();
  }

  @Override
  public boolean welcomed() {
    return welcomed;
  }

  boolean stopped() {
    return stopped;
  }

  boolean send(JSONObject frame) {
    return transport.send(frame);
  }

  // ---- what the application asks ----

  void start() {
    if (started || stopped) {
      return;
    }
    started = true;
    open();
  }

  void networkAvailable() {
    if (stopped || paused || !started || status.state() == ConnectionState.CLOSED) {
      return;
    }
    if (welcomed) {
      // the socket may be bound to the network that went away: a frame must come back soon
      if (liveness.probe()) {
        send(Json.put(Json.put(Json.object(), "type", "ping"), "ref", "probe"));
      }
      return;
    }
    // waiting out a backoff, or an attempt stuck on the old network: start afresh, now
    retries.resetBackoff();
    drop("the network changed", true);
    retries.cancel();
    opening = false;
    open();
  }

  void networkLost() {
    drop("the network was lost", false);
  }

  /** A client the server closed for good stays closed: pause and resume must not revive it. */
  boolean canPause() {
    return !(stopped || paused || status.state() == ConnectionState.CLOSED);
  }

  /** Closes the socket; {@link #paused} says so once the positions are written. */
  void pause() {
    paused = true;
    retries.cancel();
    if (!closeSocket("paused")) {
      gen++;
      opening = false;
    }
  }

  void paused() {
    setState(ConnectionState.PAUSED, 0, "paused", 0, 0);
  }

  void resume() {
    if (stopped || !paused) {
      return;
    }
    paused = false;
    retries.resetBackoff();
    started = true;
    open();
  }

  void reconnect() {
    if (stopped) {
      return;
    }
    paused = false;
    started = true;
    retries.reset();
    drop("reconnect() was called", true);
    retries.cancel();
    gen++;
    opening = false;
    open();
  }

  void close() {
    stopped = true;
    closeSocket("client closed");
    tokens.cancelRefresh();
    terminate(CloseCodes.NORMAL, "close() was called");
  }

  /** After {@link #close}, once nothing more is sent. */
  void shutdown() {
    transport.shutdown();
  }

  // ---- lifecycle ----

  private void open() {
    if (stopped || paused || transport.isOpen() || opening) {
      return;
    }
    opening = true;
    final int g = ++gen;
    setState(ConnectionState.CONNECTING, 0, null, 0, 0);
    if (tokens.stale()) {
      tokens.fetch((t, error) -> {
        if (g != gen) {
          return;
        }
        if (error != null) {
          opening = false;
          events.error(new SwitchboardException(ErrorCode.TOKEN, ErrorCode.TOKEN.wire(),
              "could not get a token: " + error.getMessage(), null, false, 0, error));
          retries.schedule(0, "could not get a token: " + error.getMessage(), -1);
          return;
        }
        tokens.use(t);
        openSocket(g);
      });
    } else {
      tokens.useConfiguredIfNone();
      openSocket(g);
    }
  }

  private void openSocket(final int g) {
    opening = false;
    if (tokens.refusedAgain()) {
      terminate(CloseCodes.UNAUTHORIZED, "the node refused the token and the TokenProvider returned it again");
      return;
    }
    host.opening(Jwt.subject(tokens.current()));
    Request request;
    try {
      request = new Request.Builder().url(o.url).build();
    } catch (IllegalArgumentException e) {
      terminate(0, "bad url: " + e.getMessage());
      return;
    }
    welcomed = false;
    retries.newSocket();
    liveness.opening();
    transport.open(request, new SocketCallbacks(loop, g, socket));
    liveness.start();
  }

  @Override
  public void welcome(JSONObject w) {
    if (welcomed) {
      return;
    }
    long t = Loop.now();
    welcomed = true;
    welcomedAt = t;
    retries.tokenAccepted();
    tokens.accepted();
    String user = Json.string(w, "user");
    status.welcomed(user, Json.string(w, "node"), Json.string(w, "session"));
    long hb = Json.number(w, "heartbeat", 25000);
    liveness.welcomed(hb > 0 ? hb : 25000);
    Map<String, Position> heads = host.welcomed(t, user, w.optJSONObject("streams"));
    List<String> rejoining = host.rejoin();
    final boolean first = !everWelcomed;
    everWelcomed = true;
    setState(ConnectionState.ONLINE, 0, null, 0, 0);
    final Welcome welcome = new Welcome(user, status.session(), status.node(), liveness.heartbeat(), heads, first,
        rejoining);
    events.emit(l -> {
      l.onWelcome(welcome);
    });
    scheduleRefresh();
    host.online();
  }

  @Override
  public void probeAnswered() {
    liveness.probeAnswered();
  }

  @Override
  public void reconnectHint(long ms) {
    retries.hint(ms);
  }

  private void scheduleRefresh() {
    final int g = gen;
    tokens.scheduleRefresh(() -> g == gen && welcomed,
        t -> send(Json.put(Json.put(Json.object(), "type", "refresh"), "token", t)));
  }

  /** Lets go of the socket: its callbacks, and the token fetches of its attempt, no longer count. */
  private WebSocket detach() {
    WebSocket w = transport.release();
    gen++;
    return w;
  }

  /** Closes the socket on purpose (no retry follows); false when there was none. */
  private boolean closeSocket(String reason) {
    if (!transport.isOpen()) {
      return false;
    }
    detach().close(CloseCodes.NORMAL, reason);
    disconnected(CloseCodes.NORMAL, reason, true, 0);
    return true;
  }

  /** Gives up on the current socket now, if there is one: no waiting for a close handshake. */
  private void drop(String reason, boolean quiet) {
    if (!transport.isOpen()) {
      return;
    }
    detach().cancel();
    disconnected(LOCAL_DROP, reason, quiet, 0);
  }

  private void disconnected(int code, String reason, boolean quiet, long retryAfterMs) {
    long t = Loop.now();
    boolean wasWelcomed = welcomed;
    welcomed = false;
    liveness.stop();
    tokens.cancelRefresh();
    if (wasWelcomed && t - welcomedAt >= o.stableAfterMs) {
      retries.resetBackoff();
    }
    host.lost(wasWelcomed);
    if (stopped || quiet || paused) {
      return;
    }
    retries.lost(code, reason, retryAfterMs);
  }

  private void terminate(int code, String reason) {
    retries.cancel();
    host.ended(code, reason);
    setState(ConnectionState.CLOSED, code, reason, 0, 0);
  }

  private void setState(ConnectionState s, int code, String reason, long retryAt, long delay) {
    status.set(s, code, reason, retryAt, delay, retries.attempt());
  }
}
