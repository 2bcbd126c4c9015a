package io.switchboard.client.internal;

import io.switchboard.client.Backoff;
import io.switchboard.client.CloseCodes;
import io.switchboard.client.Completion;
import io.switchboard.client.ConnectionState;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.PendingSend;
import io.switchboard.client.Position;
import io.switchboard.client.Presence;
import io.switchboard.client.Sent;
import io.switchboard.client.StateChange;
import io.switchboard.client.SwitchboardException;
import io.switchboard.client.SwitchboardListener;
import io.switchboard.client.Welcome;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.json.JSONObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The client's state machine: the connection's lifecycle, the frames in and out, positions and the
 * outbox. Every field is confined to one thread (the loop): public methods, OkHttp's callbacks and
 * timers all hop onto it, so nothing here needs a lock. Blocking work (the token provider) runs on a
 * second thread; the application's callbacks on its executor, through the {@link Dispatcher}.
 */
public final class Engine {
  /** A socket given up by the client (dead, timed out, no longer wanted): as if lost. */
  private static final int LOCAL_DROP = CloseCodes.ABNORMAL;
  /** How long close() and pause() wait for the callbacks already posted before writing positions anyway. */
  private static final long CALLBACK_WAIT_MS = 5000;

  private final Options o;
  private final ScheduledThreadPoolExecutor loop;
  private final ExecutorService io;
  private final Dispatcher out;
  private final ExecutorService ownCallbackExecutor;
  private final OkHttpClient http;
  private final boolean ownHttp;

  // ---- connection (loop thread only) ----
  private WebSocket ws;
  private int gen;
  private boolean opening;
  private boolean welcomed;
  private boolean everWelcomed;
  private boolean started;
  private boolean stopped;
  private boolean paused;
  private long openedAt;
  private long welcomedAt;
  private long lastFrameAt;
  private long probeSentAt;
  private long heartbeat = 25000;
  private int attempt;
  private int authFailures;
  private long hintMs = -1;
  private String token;
  private String refusedToken;
  private volatile String user;
  private volatile String node;
  private volatile String session;
  private volatile ConnectionState state = ConnectionState.IDLE;
  private volatile Thread loopThread;
  private ScheduledFuture<?> retryTimer;
  private ScheduledFuture<?> tickTimer;
  private ScheduledFuture<?> persistTimer;
  private ScheduledFuture<?> refreshTimer;

  // ---- streams ----
  private final Events events;
  private final Streams streams;
  private boolean loaded;
  private boolean storageFailing;

  // ---- requests ----
  private final Requests requests;
  private final Link link = new Link() {
    @Override
    public boolean ready() {
      return welcomed && ws != null;
    }

    @Override
    public void send(JSONObject frame) {
      raw(frame);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
      return Engine.this.schedule(task, delayMs);
    }

    @Override
    public void onLoop(Runnable task) {
      Engine.this.onLoop(task);
    }

    @Override
    public boolean takeBudget(long now) {
      return requests.takeBudget(now);
    }

    @Override
    public void schedulePersist() {
      Engine.this.schedulePersist();
    }

    @Override
    public void saveOutbox() {
      Engine.this.saveOutbox();
    }
  };
  private final List<PendingSend> restored = new ArrayList<PendingSend>();

  public Engine(Options options) {
    this.o = options;
    this.requests = new Requests(o, link);
    this.loop = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = daemon("switchboard-client").newThread(r);
        loopThread = t;
        return t;
      }
    });
    loop.setRemoveOnCancelPolicy(true);
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.io = Executors.newSingleThreadExecutor(daemon("switchboard-client-io"));
    if (o.callbackExecutor != null) {
      ownCallbackExecutor = null;
      out = new Dispatcher(o.callbackExecutor);
    } else {
      ownCallbackExecutor = Executors.newSingleThreadExecutor(daemon("switchboard-callbacks"));
      out = new Dispatcher(ownCallbackExecutor);
    }
    this.events = new Events(out);
    this.streams = new Streams(o, link, events);
    if (o.okHttpClient != null) {
      http = o.okHttpClient.newBuilder().pingInterval(0, TimeUnit.MILLISECONDS).build();
      ownHttp = false;
    } else {
      http = new OkHttpClient.Builder()
          .connectTimeout(o.connectTimeoutMs, TimeUnit.MILLISECONDS)
          .readTimeout(0, TimeUnit.MILLISECONDS)
          .writeTimeout(o.connectTimeoutMs, TimeUnit.MILLISECONDS)
          .pingInterval(0, TimeUnit.MILLISECONDS)
          .build();
      ownHttp = true;
    }
    // the store is read before anything else the loop does: sends made before connect() queue behind it
    onLoop(() -> {
      load();
    });
  }

  public Dispatcher dispatcher() {
    return out;
  }

  public void addListener(SwitchboardListener l) {
    events.add(l);
  }

  public void removeListener(SwitchboardListener l) {
    events.remove(l);
  }

  // ---- public entry points: each hops onto the loop ----

  public void connect() {
    onLoop(() -> {
      if (started || stopped) {
        return;
      }
      started = true;
      open();
    });
  }

  public Completion<Object> send(final String to, final Object body, final String givenId, final boolean transientSend) {
    final Completion<Object> c = new Completion<Object>(out);
    final Object wrapped = Json.wrap(body);
    final String id = transientSend ? givenId : (givenId != null ? givenId : UUID.randomUUID().toString());
    onLoop(() -> {
      JSONObject f = Json.object();
      Json.put(f, "type", "send");
      Json.put(f, "to", to);
      Json.put(f, "body", wrapped);
      if (id != null) {
        Json.put(f, "id", id);
      }
      if (transientSend) {
        Json.put(f, "transient", true);
      }
      request(new Op(Op.SEND, f, !transientSend, !transientSend, id, c, user != null ? user : streams.positions.user));
    });
    return c;
  }

  public Completion<Object> roomRequest(final String type, final String room) {
    final Completion<Object> c = new Completion<Object>(out);
    onLoop(() -> {
      JSONObject f = Json.put(Json.put(Json.object(), "type", type), "room", room);
      request(new Op(type, f, true, false, null, c, null));
    });
    return c;
  }

  public Completion<Object> ping() {
    final Completion<Object> c = new Completion<Object>(out);
    onLoop(() -> {
      request(new Op(Op.PING, Json.put(Json.object(), "type", "ping"), false, false, null, c, null));
    });
    return c;
  }

  /** The sends restored from the store, once it has been read. */
  public Completion<List<PendingSend>> restoredSends() {
    final Completion<List<PendingSend>> c = new Completion<List<PendingSend>>(out);
    onLoop(() -> {
      c.succeed(new ArrayList<PendingSend>(restored));
    });
    return c;
  }

  public void networkAvailable() {
    onLoop(() -> {
      if (stopped || paused || !started || state == ConnectionState.CLOSED) {
        return;
      }
      if (welcomed) {
        // the socket may be bound to the network that went away: a frame must come back soon
        if (probeSentAt == 0) {
          probeSentAt = now();
          raw(Json.put(Json.put(Json.object(), "type", "ping"), "ref", "probe"));
        }
        return;
      }
      // waiting out a backoff, or an attempt stuck on the old network: start afresh, now
      attempt = 0;
      if (ws != null) {
        drop("the network changed", true);
      }
      cancel(retryTimer);
      opening = false;
      open();
    });
  }

  public void networkLost() {
    onLoop(() -> {
      if (ws != null) {
        drop("the network was lost", false);
      }
    });
  }

  public Completion<Void> pause() {
    final Completion<Void> done = new Completion<Void>(out);
    onLoop(() -> {
      // a client the server closed for good stays closed: pause and resume must not revive it
      if (stopped || paused || state == ConnectionState.CLOSED) {
        done.succeed(null);
        return;
      }
      paused = true;
      cancel(retryTimer);
      streams.flushAcks(true);
      WebSocket w = ws;
      if (w != null) {
        detach();
        w.close(CloseCodes.NORMAL, "paused");
        disconnected(CloseCodes.NORMAL, "paused", true);
      } else {
        gen++;
        opening = false;
      }
      persist(true);
      setState(ConnectionState.PAUSED, 0, "paused", 0, 0);
      // messages still waiting for the listener move the positions once it has run them
      afterCallbacks(() -> {
        persist(true);
        done.succeed(null);
      });
    });
    return done;
  }

  public void resume() {
    onLoop(() -> {
      if (stopped || !paused) {
        return;
      }
      paused = false;
      attempt = 0;
      started = true;
      open();
    });
  }

  public void reconnect() {
    onLoop(() -> {
      if (stopped) {
        return;
      }
      paused = false;
      started = true;
      authFailures = 0;
      attempt = 0;
      if (ws != null) {
        drop("reconnect() was called", true);
      }
      cancel(retryTimer);
      gen++;
      opening = false;
      open();
    });
  }

  public Completion<Void> close() {
    final Completion<Void> done = new Completion<Void>(out);
    onLoop(() -> {
      if (stopped) {
        done.succeed(null);
        return;
      }
      streams.flushAcks(true);
      stopped = true;
      WebSocket w = ws;
      if (w != null) {
        detach();
        w.close(CloseCodes.NORMAL, "client closed");
        disconnected(CloseCodes.NORMAL, "client closed", true);
      }
      cancel(retryTimer);
      cancel(refreshTimer);
      rejectAll(CloseCodes.NORMAL, "close() was called");
      saveOutbox();
      setState(ConnectionState.CLOSED, CloseCodes.NORMAL, "close() was called", 0, 0);
      // the positions of messages still waiting for the listener are written once it has run them
      afterCallbacks(() -> {
        cancel(persistTimer);
        persist(true);
        loop.shutdown();
        io.shutdown();
        if (ownHttp) {
          http.dispatcher().executorService().shutdown();
          http.connectionPool().evictAll();
        }
        done.succeed(null);
        if (ownCallbackExecutor != null) {
          out.post(ownCallbackExecutor::shutdown);
        }
      });
    });
    return done;
  }

  /**
   * Runs {@code task} on the loop once every callback posted so far has run (and the positions they
   * moved are in); at the latest after {@link #CALLBACK_WAIT_MS}, for an app whose executor stopped.
   */
  private void afterCallbacks(final Runnable task) {
    final boolean[] ran = new boolean[1];
    final Runnable once = () -> {
      if (!ran[0]) {
        ran[0] = true;
        task.run();
      }
    };
    events.then(null, () -> onLoop(once));
    schedule(once, CALLBACK_WAIT_MS);
  }

  /** Reads a value computed on the loop (the getters of the public API); null once closed. */
  public <T> T query(final java.util.concurrent.Callable<T> q) {
    if (Thread.currentThread() == loopThread) {
      try {
        return q.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return loop.submit(q).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public ConnectionState state() {
    return state;
  }

  public String user() {
    return user;
  }

  public String node() {
    return node;
  }

  public String session() {
    return session;
  }

  public Map<String, Position> livePositions() {
    return new LinkedHashMap<String, Position>(streams.positions.live);
  }

  public int pending() {
    return requests.size();
  }

  // ---- lifecycle ----

  private void load() {
    String key = o.storeKey();
    try {
      streams.offlineFrom = streams.positions.fromStored(o.store.get(key + ":positions"));
      for (StoredOutbox.Entry e : StoredOutbox.read(o.store.get(key + ":outbox"))) {
        Object body;
        try {
          body = Json.parseValue(e.bodyJson);
        } catch (org.json.JSONException ex) {
          continue;
        }
        JSONObject f = Json.object();
        Json.put(f, "type", "send");
        Json.put(f, "to", e.to);
        Json.put(f, "body", body);
        Json.put(f, "id", e.id);
        Completion<Object> c = new Completion<Object>(out);
        Op op = new Op(Op.SEND, f, true, true, e.id, c, e.user);
        op.firstSentWall = e.firstSentWall;
        requests.restore(op);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Completion<Sent> typed = (Completion) c;
        restored.add(new PendingSend(e.id, e.to, body, typed));
      }
    } catch (Exception e) {
      events.error(new SwitchboardException(ErrorCode.STORAGE, ErrorCode.STORAGE.wire(),
          "could not read the stored positions and outbox: " + e, null, false, 0, e));
    }
    loaded = true;
  }

  private void open() {
    if (stopped || paused || ws != null || opening) {
      return;
    }
    opening = true;
    final int g = ++gen;
    setState(ConnectionState.CONNECTING, 0, null, 0, 0);
    if (o.tokenProvider != null && (token == null || expiresWithin(token, o.tokenRefreshMarginMs))) {
      fetchToken((t, error) -> {
        if (g != gen) {
          return;
        }
        if (error != null) {
          opening = false;
          events.error(new SwitchboardException(ErrorCode.TOKEN, ErrorCode.TOKEN.wire(),
              "could not get a token: " + error.getMessage(), null, false, 0, error));
          scheduleRetry(0, "could not get a token: " + error.getMessage(), -1);
          return;
        }
        token = t;
        openSocket(g);
      });
    } else {
      if (token == null) {
        token = o.token;
      }
      openSocket(g);
    }
  }

  private interface TokenResult {
    void done(String token, Exception error);
  }

  private void fetchToken(final TokenResult result) {
    io.execute(() -> {
      String t = null;
      Exception err = null;
      try {
        t = o.tokenProvider.fetchToken();
        if (t == null || t.isEmpty()) {
          err = new IllegalStateException("the TokenProvider returned no token");
        }
      } catch (Exception e) {
        err = e;
      }
      final String token = t;
      final Exception error = err;
      onLoop(() -> {
        result.done(token, error);
      });
    });
  }

  private void openSocket(final int g) {
    opening = false;
    if (token != null && token.equals(refusedToken)) {
      terminate(CloseCodes.UNAUTHORIZED, "the node refused the token and the TokenProvider returned it again");
      return;
    }
    streams.positions.forUser(Jwt.subject(token));
    requests.failOtherUsers(streams.positions.user);
    Request request;
    try {
      request = new Request.Builder().url(o.url).build();
    } catch (IllegalArgumentException e) {
      terminate(0, "bad url: " + e.getMessage());
      return;
    }
    welcomed = false;
    hintMs = -1;
    probeSentAt = 0;
    openedAt = lastFrameAt = now();
    ws = http.newWebSocket(request, new SocketListener(g));
    startTick();
  }

  /** OkHttp calls these on its own threads: each hops onto the loop, and is dropped if its socket is gone. */
  private final class SocketListener extends WebSocketListener {
    private final int g;

    SocketListener(int g) {
      this.g = g;
    }

    @Override
    public void onOpen(final WebSocket socket, Response response) {
      onLoop(() -> {
        if (g == gen && ws == socket) {
          sendHello();
        }
      });
    }

    @Override
    public void onMessage(final WebSocket socket, final String text) {
      onLoop(() -> {
        if (g == gen && ws == socket) {
          onFrame(text);
        }
      });
    }

    @Override
    public void onClosing(final WebSocket socket, final int code, final String reason) {
      socket.close(CloseCodes.NORMAL, null);
      closed(socket, code, reason, 0, false);
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
      closed(socket, code, reason, 0, false);
    }

    @Override
    public void onFailure(WebSocket socket, Throwable t, Response response) {
      String why = String.valueOf(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
      long retryAfterMs = 0;
      boolean refused = false;
      if (response != null && response.code() != 101) {
        int status = response.code();
        why = "the upgrade was answered HTTP " + status;
        // a wrong path (404), an origin refused (403): trying again cannot help; 408, 429 and 5xx can
        refused = status >= 400 && status < 500 && status != 408 && status != 429;
        String ra = response.header("Retry-After");
        if (ra != null) {
          try {
            retryAfterMs = Long.parseLong(ra.trim()) * 1000;
          } catch (NumberFormatException ignored) {
            // an HTTP date: the backoff alone decides
          }
        }
        response.close();
      }
      closed(socket, LOCAL_DROP, why, retryAfterMs, refused);
    }

    private void closed(final WebSocket socket, final int code, final String reason, final long retryAfterMs,
        final boolean refused) {
      onLoop(() -> {
        if (g != gen || ws != socket) {
          return;
        }
        detach();
        disconnected(code, reason, refused, retryAfterMs);
        if (refused) {
          terminate(0, reason);
        }
      });
    }
  }

  private void sendHello() {
    JSONObject hello = Json.object();
    Json.put(hello, "type", "hello");
    Json.put(hello, "token", token);
    Json.put(hello, "client", o.clientName);
    if (o.device != null) {
      Json.put(hello, "device", o.device);
    }
    JSONObject resume = streams.positions.resumeMap();
    if (resume.length() > 0) {
      Json.put(hello, "resume", resume);
    }
    raw(hello);
  }

  private void detach() {
    ws = null;
    gen++;
  }

  /** Gives up on the current socket now: no waiting for a close handshake. */
  private void drop(String reason, boolean quiet) {
    WebSocket w = ws;
    if (w == null) {
      return;
    }
    detach();
    w.cancel();
    disconnected(LOCAL_DROP, reason, quiet);
  }

  private void disconnected(int code, String reason, boolean quiet) {
    disconnected(code, reason, quiet, 0);
  }

  private void disconnected(int code, String reason, boolean quiet, long retryAfterMs) {
    long t = now();
    boolean wasWelcomed = welcomed;
    welcomed = false;
    cancel(tickTimer);
    cancel(refreshTimer);
    if (wasWelcomed && t - welcomedAt >= o.stableAfterMs) {
      attempt = 0;
    }
    streams.disconnected(wasWelcomed);
    persist(true);
    requests.disconnected();
    if (stopped || quiet || paused) {
      return;
    }
    CloseCodes.Action action = CloseCodes.action(code);
    String text = reason != null && !reason.isEmpty() ? reason : "closed with " + code;
    switch (action) {
      case NEVER:
        terminate(code, text);
        return;
      case TOKEN:
        if (o.tokenProvider == null) {
          terminate(code, text + " (no TokenProvider to fetch a fresh token)");
          return;
        }
        if (++authFailures >= o.maxAuthFailures) {
          terminate(code, text + " (" + authFailures + " tokens refused in a row)");
          return;
        }
        refusedToken = token;
        token = null;
        scheduleRetry(code, text, -1);
        return;
      case HINT:
        long hint = hintMs >= 0 ? Math.min(hintMs, o.backoffCapMs) : -1;
        hintMs = -1;
        scheduleRetry(code, text, hint);
        return;
      default:
        if (retryAfterMs > 0) {
          long d = Math.max(Backoff.delay(attempt, o.backoffBaseMs, o.backoffCapMs, o.random.nextDouble()),
              Math.min(retryAfterMs, o.backoffCapMs));
          scheduleRetry(code, text, d);
        } else {
          scheduleRetry(code, text, -1);
        }
    }
  }

  private void scheduleRetry(int code, String reason, long fixedDelay) {
    int a = attempt;
    long delay = fixedDelay >= 0 ? fixedDelay : Backoff.delay(a, o.backoffBaseMs, o.backoffCapMs, o.random.nextDouble());
    attempt++;
    cancel(retryTimer);
    retryTimer = schedule(() -> {
      open();
    }, delay);
    setState(ConnectionState.OFFLINE, code, reason, System.currentTimeMillis() + delay, delay, a);
  }

  private void terminate(int code, String reason) {
    cancel(retryTimer);
    rejectAll(code, reason);
    saveOutbox();
    setState(ConnectionState.CLOSED, code, reason, 0, 0);
  }

  private void startTick() {
    cancel(tickTimer);
    long period = Math.max(50, Math.min(1000, heartbeat / 4));
    tickTimer = loop.scheduleWithFixedDelay(() -> {
      tick();
    }, period, period, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long t = now();
    if (ws == null) {
      cancel(tickTimer);
      return;
    }
    if (!welcomed && t - openedAt > o.connectTimeoutMs) {
      drop("no welcome within " + o.connectTimeoutMs + " ms", false);
      return;
    }
    if (welcomed && t - lastFrameAt > 2 * heartbeat) {
      drop("nothing received for " + (t - lastFrameAt) + " ms (2 x heartbeat " + heartbeat + " ms): connection dead", false);
      return;
    }
    // the probe's own pong proves the path; frames that were already on the way when it went out do
    // not. A connection still streaming a backlog (a frame within the last second) gets more time.
    if (welcomed && probeSentAt > 0 && t - probeSentAt > Math.min(o.probeTimeoutMs, heartbeat) && t - lastFrameAt > 1000) {
      drop("no answer within " + Math.min(o.probeTimeoutMs, heartbeat) + " ms after the network changed", false);
      return;
    }
    if (welcomed) {
      requests.resendTimedOut(t);
    }
  }

  // ---- frames in ----

  private void onFrame(String text) {
    lastFrameAt = now();
    JSONObject f = Json.parseObject(text);
    if (f == null) {
      return;
    }
    String type = Json.string(f, "type");
    if (type == null) {
      return;
    }
    if (!welcomed && !type.equals("welcome")) {
      // the node sends nothing else before welcome; a frame that does is not acted on as if open
      return;
    }
    if (type.equals("welcome")) {
      onWelcome(f);
    } else if (type.equals("message")) {
      streams.message(f);
    } else if (type.equals("gap")) {
      streams.gap(f);
    } else if (type.equals("reset")) {
      streams.reset(f);
    } else if (type.equals("resumed")) {
      streams.resumed(f);
    } else if (type.equals("presence")) {
      final Presence p = new Presence(Json.string(f, "room"), Json.string(f, "user"), "online".equals(Json.string(f, "state")));
      events.emit(l -> {
        l.onPresence(p);
      });
    } else if (type.equals("ping")) {
      JSONObject pong = Json.put(Json.object(), "type", "pong");
      if (f.has("ref")) {
        Json.put(pong, "ref", f.opt("ref"));
      }
      raw(pong);
    } else if (type.equals("pong") && "probe".equals(f.opt("ref"))) {
      probeSentAt = 0;
    } else if (type.equals("reconnect")) {
      hintMs = Math.max(0, Json.number(f, "after", 0));
    } else if (type.equals("sent") || type.equals("joined") || type.equals("left") || type.equals("pong")
        || type.equals("error")) {
      onReply(f, type);
    }
  }

  private void onWelcome(JSONObject w) {
    if (welcomed) {
      return;
    }
    long t = now();
    welcomed = true;
    welcomedAt = t;
    authFailures = 0;
    refusedToken = null;
    user = Json.string(w, "user");
    node = Json.string(w, "node");
    session = Json.string(w, "session");
    long hb = Json.number(w, "heartbeat", 25000);
    heartbeat = hb > 0 ? hb : 25000;
    startTick();
    requests.welcomed(t);
    streams.positions.forUser(user);
    JSONObject info = w.optJSONObject("streams");
    Map<String, Position> heads = streams.welcome(info != null ? info : new JSONObject());
    final boolean first = !everWelcomed;
    everWelcomed = true;
    setState(ConnectionState.ONLINE, 0, null, 0, 0);
    final Welcome welcome = new Welcome(user, session, node, heartbeat, heads, first);
    events.emit(l -> {
      l.onWelcome(welcome);
    });
    scheduleRefresh();
    requests.pump();
    streams.finishCatchupIfIdle();
  }

  private void onReply(JSONObject f, String type) {
    Object refValue = f.opt("ref");
    Op op = requests.byRef(refValue);
    if (op == null) {
      if (refValue == null && (type.equals("joined") || type.equals("left"))) {
        // another session of this user (a tab, a device, the HTTP API) joined or left a room
        streams.membership(f, type, true);
      } else if (type.equals("error")) {
        String code = Json.string(f, "code");
        events.error(new SwitchboardException(ErrorCode.fromWire(code), code != null ? code : "internal",
            Json.string(f, "message"), null, false, 0, null));
      }
      return;
    }
    if (type.equals("error")) {
      String code = Json.string(f, "code");
      ErrorCode ec = ErrorCode.fromWire(code);
      // not stored, or stored without confirmation: the same id makes the retry safe
      if (ec == ErrorCode.UNAVAILABLE && requests.retryLater(op)) {
        return;
      }
      settle(op);
      op.completion.fail(new SwitchboardException(ec, code != null ? code : "internal", Json.string(f, "message"),
          op.id, ec == ErrorCode.UNAVAILABLE || ec == ErrorCode.INTERNAL, 0, null));
      return;
    }
    settle(op);
    if (type.equals("joined") || type.equals("left")) {
      op.completion.succeed(streams.membership(f, type, false));
    } else if (type.equals("pong")) {
      op.completion.succeed(Long.valueOf(now() - op.sentAt));
    } else {
      Object ep = f.opt("epoch");
      op.completion.succeed(new Sent(Json.string(f, "stream"), Json.number(f, "seq", 0),
          Positions.isEpoch(ep) ? (String) ep : null, Json.string(f, "id")));
    }
  }

  // ---- frames out ----

  private void request(Op op) {
    if (stopped) {
      op.completion.fail(new SwitchboardException(ErrorCode.CLOSED, "the client was closed"));
      return;
    }
    if (state == ConnectionState.CLOSED) {
      op.completion.fail(new SwitchboardException(ErrorCode.CLOSED,
          "the connection was closed for good; call reconnect() first"));
      return;
    }
    if (!op.queue && !welcomed) {
      op.completion.fail(new SwitchboardException(ErrorCode.OFFLINE,
          "not connected (transient sends and pings are never queued)"));
      return;
    }
    requests.add(op);
  }

  private void settle(Op op) {
    requests.settle(op);
    if (requests.outboxDirty) {
      schedulePersist();
    }
  }

  private void rejectAll(int closeCode, String reason) {
    requests.failWhere(true, ErrorCode.CLOSED, "connection closed: " + reason, closeCode);
  }

  private boolean raw(JSONObject frame) {
    WebSocket w = ws;
    return w != null && w.send(frame.toString());
  }

  // ---- positions, acks, persistence ----

  private void schedulePersist() {
    if (persistTimer != null && !persistTimer.isDone()) {
      return;
    }
    persistTimer = schedule(() -> {
      persist(false);
    }, o.persistIntervalMs);
  }

  private void persist(boolean force) {
    if (!loaded) {
      return;
    }
    if (requests.outboxDirty) {
      saveOutbox();
    }
    if (!force && !streams.positions.dirty) {
      return;
    }
    streams.positions.dirty = false;
    long at = welcomed ? System.currentTimeMillis() : streams.offlineFrom;
    try {
      o.store.put(o.storeKey() + ":positions", streams.positions.toStored(at));
      storageFailing = false;
    } catch (Exception e) {
      storageFailed("could not save positions", e);
    }
  }

  private void saveOutbox() {
    if (!loaded) {
      return;
    }
    requests.outboxDirty = false;
    try {
      o.store.put(o.storeKey() + ":outbox", StoredOutbox.write(requests.all()));
      storageFailing = false;
    } catch (Exception e) {
      storageFailed("could not save the outbox", e);
    }
  }

  private void storageFailed(String what, Exception e) {
    if (!storageFailing) {
      events.error(new SwitchboardException(ErrorCode.STORAGE, ErrorCode.STORAGE.wire(), what + ": " + e, null, false, 0, e));
    }
    storageFailing = true;
  }

  // ---- token refresh on a live connection ----

  private void scheduleRefresh() {
    cancel(refreshTimer);
    if (o.tokenProvider == null) {
      return;
    }
    long exp = Jwt.expiresAtMs(token);
    if (exp <= 0) {
      return;
    }
    long left = exp - System.currentTimeMillis();
    // refresh a margin before exp; a token that lives less than twice the margin, halfway through
    long delay = left > 2 * o.tokenRefreshMarginMs ? left - o.tokenRefreshMarginMs : Math.max(1000, left / 2);
    final int g = gen;
    refreshTimer = schedule(() -> {
      fetchToken((t, error) -> {
        if (g != gen || !welcomed) {
          return;
        }
        if (error != null) {
          events.error(new SwitchboardException(ErrorCode.TOKEN, ErrorCode.TOKEN.wire(),
              "could not refresh the token: " + error.getMessage(), null, false, 0, error));
          return;
        }
        if (!t.equals(token)) {
          token = t;
          raw(Json.put(Json.put(Json.object(), "type", "refresh"), "token", t));
        }
        scheduleRefresh();
      });
    }, delay);
  }

  private boolean expiresWithin(String t, long marginMs) {
    long exp = Jwt.expiresAtMs(t);
    return exp > 0 && exp - System.currentTimeMillis() <= marginMs;
  }

  // ---- events ----

  private void setState(ConnectionState s, int code, String reason, long retryAt, long delay) {
    setState(s, code, reason, retryAt, delay, attempt);
  }

  private void setState(ConnectionState s, int code, String reason, long retryAt, long delay, int a) {
    state = s;
    final StateChange change = new StateChange(s, code, reason, retryAt, delay, a, node);
    events.emit(l -> {
      l.onStateChanged(change);
    });
  }

  // ---- the loop ----

  private void onLoop(Runnable r) {
    try {
      loop.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: nothing more happens
    }
  }

  private ScheduledFuture<?> schedule(Runnable r, long delayMs) {
    try {
      return loop.schedule(r, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
  }

  static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  static long now() {
    return System.nanoTime() / 1000000L;
  }

  private static ThreadFactory daemon(final String name) {
    return new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      }
    };
  }
}
