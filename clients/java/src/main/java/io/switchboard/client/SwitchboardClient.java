package io.switchboard.client;

import io.switchboard.client.internal.Engine;
import io.switchboard.client.internal.Options;
import okhttp3.OkHttpClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * A connection to Switchboard that keeps the protocol's promises on a phone's network: every message
 * of every stream delivered once and in seq order across reconnects, node deaths and app restarts
 * (positions resumed, duplicates dropped by seq, {@link Gap} and {@link Reset} said, never hidden);
 * every send stored exactly once (client ids, an outbox that survives a kill, retries with the same
 * id); reconnects with full-jitter backoff that follow the close codes, and hooks for the phone's
 * network and lifecycle.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder("wss://chat.example.com/ws")
 *     .tokenProvider(() -> backend.fetchSwitchboardToken())   // called on a background thread
 *     .device(installationId)
 *     .store(new FileStore(new File(dataDir, "switchboard")))
 *     .listener(new SwitchboardListener() {
 *       public void onMessage(Message m) { show(m); }
 *     })
 *     .build();
 * client.connect();
 * Map<String, Object> body = new HashMap<>();
 * body.put("text", "hi");
 * client.send("room:lobby", body).whenDone((sent, error) -> ...);
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread and returns at once (the work happens
 * on the client's own thread), except {@link #getPositions()}, {@link #getStreams()},
 * {@link #getRooms()} and {@link #getPending()}, which wait for that thread for a moment. Listener methods and completion callbacks run on the callback executor
 * ({@link Builder#callbackExecutor}), one at a time, in order.
 */
public final class SwitchboardClient {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@|+=\\-]{1,128}");

  private final Engine engine;

  private SwitchboardClient(Engine engine) {
    this.engine = engine;
  }

  /** A builder for a client of the node (or load balancer) at {@code url}, e.g. {@code wss://host/ws}. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** Starts connecting (once; later calls do nothing). Sends made before are queued. */
  public void connect() {
    engine.connect();
  }

  /**
   * Sends {@code body} (a {@code JSONObject}, {@code JSONArray}, {@code String}, {@code Number},
   * {@code Boolean}, null, or a Map, Collection or array of those; anything else is an
   * IllegalArgumentException) to a stream: {@code user:<id>},
   * {@code room:<id>} or {@code all}. Queued while offline and kept in the store until the node
   * answers; completes with the seq once stored.
   */
  public Completion<Sent> send(String to, Object body) {
    return send(to, body, new SendOptions());
  }

  /** {@link #send(String, Object)} with a client id or as a transient message. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Completion<Sent> send(String to, Object body, SendOptions options) {
    if (to == null || !(to.equals("all") || to.startsWith("user:") || to.startsWith("room:"))) {
      throw new IllegalArgumentException("to must be a stream: user:<id>, room:<id> or all, not " + to);
    }
    if (options.getId() != null && !ID.matcher(options.getId()).matches()) {
      throw new IllegalArgumentException("id must be 1-128 letters, digits or _ . : @ | + = -, not " + options.getId());
    }
    return (Completion) engine.send(to, body, options.getId(), options.isTransient());
  }

  /** Joins a room (the bare id: {@code lobby}, not {@code room:lobby}); queued while offline. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Completion<Joined> join(String room) {
    return (Completion) engine.roomRequest("join", roomId(room));
  }

  /** Leaves a room; queued while offline. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Completion<Left> leave(String room) {
    return (Completion) engine.roomRequest("leave", roomId(room));
  }

  /** A round trip to the node, in ms; fails with {@code offline} when not connected. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Completion<Long> ping() {
    return (Completion) engine.ping();
  }

  /**
   * The sends a previous process left in the store (killed before the node confirmed them), once the
   * store has been read. They are sent again with their ids after {@link #connect()}.
   */
  public Completion<List<PendingSend>> restoredSends() {
    return engine.restoredSends();
  }

  /**
   * The phone has a network again (Android: {@code ConnectivityManager.NetworkCallback.onAvailable}):
   * reconnect now rather than waiting out the backoff; when connected, check that the connection
   * still answers (it may have been bound to the network that went away).
   */
  public void networkAvailable() {
    engine.networkAvailable();
  }

  /** The phone lost its network ({@code onLost}): drop the connection now; reconnect with backoff. */
  public void networkLost() {
    engine.networkLost();
  }

  /**
   * The app went to the background: acks written, the connection closed cleanly and kept closed until
   * {@link #resume()}; queued sends wait (and stay in the store). The completion is done once the
   * listener has run the messages it was given and their positions are written. Does nothing to a
   * client that is {@code CLOSED}.
   */
  public Completion<Void> pause() {
    return engine.pause();
  }

  /** The app came back: connect now and resume every stream from where it was (after a pause() only). */
  public void resume() {
    engine.resume();
  }

  /** Reconnects now with a fresh backoff; revives a client the server closed for good. */
  public void reconnect() {
    engine.reconnect();
  }

  /**
   * For good: acks written, the connection closed with 1000, unanswered requests failed with {@code
   * closed} (and removed from the store's outbox), then, once the listener has run the messages it
   * was given, positions written and the client's threads stopped. A program about to exit waits for
   * the returned completion: the client's threads are daemons.
   */
  public Completion<Void> close() {
    return engine.close();
  }

  public void addListener(SwitchboardListener listener) {
    engine.addListener(listener);
  }

  public void removeListener(SwitchboardListener listener) {
    engine.removeListener(listener);
  }

  public ConnectionState getState() {
    return engine.state();
  }

  /** The user of the last welcome, or null. */
  public String getUser() {
    return engine.user();
  }

  /** The node of the last welcome, or null. */
  public String getNode() {
    return engine.node();
  }

  /** The session id of the last welcome, or null. */
  public String getSession() {
    return engine.session();
  }

  /** The last seq received per stream, with its epoch. */
  public Map<String, Position> getPositions() {
    return engine.query(new Callable<Map<String, Position>>() {
      @Override
      public Map<String, Position> call() {
        return engine.livePositions();
      }
    });
  }

  /**
   * The streams the session receives, sorted: those its last welcome listed and those joined since
   * (empty before the first welcome; while offline, those of the last session).
   */
  public List<String> getStreams() {
    List<String> s = engine.query(new Callable<List<String>>() {
      @Override
      public List<String> call() {
        return engine.streams();
      }
    });
    return s == null ? Collections.<String>emptyList() : s;
  }

  /** The rooms (bare ids, sorted) among {@link #getStreams()}: those the session is a member of. */
  public List<String> getRooms() {
    List<String> rooms = new ArrayList<String>();
    for (String s : getStreams()) {
      if (s.startsWith("room:")) {
        rooms.add(s.substring("room:".length()));
      }
    }
    return rooms;
  }

  /** Requests not answered yet (sends in the outbox, joins, leaves, pings). */
  public int getPending() {
    Integer n = engine.query(new Callable<Integer>() {
      @Override
      public Integer call() {
        return engine.pending();
      }
    });
    return n == null ? 0 : n;
  }

  private static String roomId(String room) {
    if (room == null || room.startsWith("room:") || room.startsWith("user:") || !ID.matcher(room).matches()) {
      throw new IllegalArgumentException("room must be a room id such as lobby (not a stream name such as room:lobby), not " + room);
    }
    return room;
  }

  /** Settings, each with the default that matches the node's defaults. */
  public static final class Builder {
    private final Options o = new Options();
    private SwitchboardListener listener;

    private Builder(String url) {
      if (url == null || !(url.startsWith("ws://") || url.startsWith("wss://") || url.startsWith("http://")
          || url.startsWith("https://"))) {
        throw new IllegalArgumentException("url must be ws://, wss://, http:// or https://, not " + url);
      }
      o.url = url;
    }

    /** A JWT used for every connection. Give this or {@link #tokenProvider}. */
    public Builder token(String token) {
      o.token = token;
      return this;
    }

    /**
     * Where fresh JWTs come from: called before the first connection, after a 4401, and before the
     * token expires ({@link #tokenRefreshMarginMs}), on the client's background thread.
     */
    public Builder tokenProvider(TokenProvider provider) {
      o.tokenProvider = provider;
      return this;
    }

    /** The stable id of this installation (1-64 characters): the node keeps ack cursors for it. */
    public Builder device(String device) {
      if (device != null && (device.isEmpty() || device.length() > 64)) {
        throw new IllegalArgumentException("device must be 1-64 characters");
      }
      o.device = device;
      return this;
    }

    /** Names the application in the node's logs ({@code hello.client}); default {@code switchboard-java/<version>}. */
    public Builder clientName(String name) {
      o.clientName = name;
      return this;
    }

    /** Where positions and the outbox persist; default a {@link MemoryStore}. */
    public Builder store(ClientStore store) {
      o.store = store;
      return this;
    }

    /**
     * The keys' prefix in the store (positions under {@code <key>:positions}, the outbox under
     * {@code <key>:outbox}); default {@code switchboard:<device>}. Use one per user when users can
     * switch on one installation.
     */
    public Builder storeKey(String key) {
      o.storeKey = key;
      return this;
    }

    /**
     * Where listener methods and completion callbacks run (Android: {@code
     * ContextCompat.getMainExecutor(context)}); default one thread of the client's own.
     */
    public Builder callbackExecutor(Executor executor) {
      o.callbackExecutor = executor;
      return this;
    }

    /** The listener of events; more with {@link SwitchboardClient#addListener}. */
    public Builder listener(SwitchboardListener listener) {
      this.listener = listener;
      return this;
    }

    /** An OkHttpClient to share (its pool, proxy, TLS settings); the client derives its own from it. */
    public Builder okHttpClient(OkHttpClient client) {
      o.okHttpClient = client;
      return this;
    }

    /** Reconnect attempt n waits a random time in [0, min(cap, base × 2ⁿ)); defaults 1000 and 10000 ms. */
    public Builder backoff(long baseMs, long capMs) {
      positive("backoff base", baseMs);
      positive("backoff cap", capMs);
      o.backoffBaseMs = baseMs;
      o.backoffCapMs = capMs;
      return this;
    }

    /** A connection up this long resets the attempt count; default 10000 ms. */
    public Builder stableAfterMs(long ms) {
      o.stableAfterMs = positive("stableAfterMs", ms);
      return this;
    }

    /** From opening the socket to {@code welcome}; default 15000 ms. */
    public Builder connectTimeoutMs(long ms) {
      o.connectTimeoutMs = positive("connectTimeoutMs", ms);
      return this;
    }

    /** At most one cumulative ack per stream this often (with a device); default 1000 ms. */
    public Builder ackIntervalMs(long ms) {
      o.ackIntervalMs = positive("ackIntervalMs", ms);
      return this;
    }

    /** Positions are written at most this often, and at every disconnect, pause and close; default 1000 ms. */
    public Builder persistIntervalMs(long ms) {
      o.persistIntervalMs = positive("persistIntervalMs", ms);
      return this;
    }

    /** Unanswered requests held at most; more fail with {@code queue_full}; default 1000. */
    public Builder maxQueue(int n) {
      o.maxQueue = (int) positive("maxQueue", n);
      return this;
    }

    /** Retries of a request answered {@code unavailable}, same id; default 5. */
    public Builder sendRetries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("sendRetries must be 0 or more");
      }
      o.sendRetries = n;
      return this;
    }

    /** A request unanswered this long on a live connection is sent again, same id; default 10000 ms. */
    public Builder requestTimeoutMs(long ms) {
      o.requestTimeoutMs = positive("requestTimeoutMs", ms);
      return this;
    }

    /** The node's {@code idempotency.windowSeconds} in ms; default 600000. */
    public Builder idempotencyWindowMs(long ms) {
      o.idempotencyWindowMs = positive("idempotencyWindowMs", ms);
      return this;
    }

    /** The node's {@code limits.maxMessageBytes}; default 65536. */
    public Builder maxFrameBytes(int bytes) {
      o.maxFrameBytes = (int) positive("maxFrameBytes", bytes);
      return this;
    }

    /** The client's own rate budget for requests and acks; defaults 80/s, bursts of 160. */
    public Builder rateBudget(double perSecond, double burst) {
      if (!(perSecond > 0) || !(burst >= 1)) {
        throw new IllegalArgumentException("rateBudget needs perSecond > 0 and burst >= 1");
      }
      o.maxFramesPerSecond = perSecond;
      o.maxFramesBurst = burst;
      return this;
    }

    /** Consecutive 4401 closes after which the client stops; default 3. */
    public Builder maxAuthFailures(int n) {
      o.maxAuthFailures = (int) positive("maxAuthFailures", n);
      return this;
    }

    /** A token expiring within this is replaced before use, and refreshed this long before exp; default 60000 ms. */
    public Builder tokenRefreshMarginMs(long ms) {
      o.tokenRefreshMarginMs = positive("tokenRefreshMarginMs", ms);
      return this;
    }

    /** After {@link SwitchboardClient#networkAvailable()} on a live connection, an answer must come within this; default 5000 ms. */
    public Builder probeTimeoutMs(long ms) {
      o.probeTimeoutMs = positive("probeTimeoutMs", ms);
      return this;
    }

    /** The jitter's random source (tests). */
    public Builder random(Random random) {
      o.random = random;
      return this;
    }

    /** Validates and builds; the client reads its store on its own thread, then waits for {@link SwitchboardClient#connect()}. */
    public SwitchboardClient build() {
      if ((o.token == null || o.token.isEmpty()) && o.tokenProvider == null) {
        throw new IllegalStateException("give a token or a tokenProvider");
      }
      Options settings = o.copy();
      if (settings.store == null) {
        // each client its own: two clients of one builder must not share positions and an outbox
        settings.store = new MemoryStore();
      }
      Engine engine = new Engine(settings);
      if (listener != null) {
        engine.addListener(listener);
      }
      return new SwitchboardClient(engine);
    }

    private static long positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, not " + v);
      }
      return v;
    }
  }
}
