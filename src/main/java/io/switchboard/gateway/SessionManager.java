package io.switchboard.gateway;

import io.switchboard.auth.ConnectInfo;
import io.switchboard.transport.Connection;

import io.switchboard.config.SwitchboardOptions;
import io.switchboard.presence.LocalSessions;
import io.switchboard.metrics.GatewayMetrics.ConnectLine;
import io.switchboard.protocol.JsonLimits;
import io.switchboard.util.WaitingLine;
import io.switchboard.routing.ControlChannel;
import io.switchboard.routing.ControlEvent;
import io.switchboard.routing.ControlLog;
import io.switchboard.routing.Delivery;
import io.switchboard.routing.FeedRegistry;
import io.switchboard.store.Position;
import io.switchboard.util.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sessions of one event loop and the single timer that watches them all (hello timeout,
 * heartbeat, token expiry, slow consumers): one timer per loop instead of several per connection.
 * It also applies the control log to them ({@link ControlChannel}): kicks and membership changes.
 */
final class SessionManager {

  private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
  /** Sessions closed after lost control events reconnect spread over this window. */
  static final long CONTROL_LOST_WINDOW_MS = 5_000;

  private final Context context;
  private final Services services;
  private final FeedRegistry feeds;
  private final ControlChannel control;
  private final String idPrefix;
  private final Set<Session> sessions = new LinkedHashSet<>();
  /** Authenticated sessions by user, for the control deliveries addressed to a user. */
  private final Map<String, List<Session>> byUser = new HashMap<>();
  private long nextId;
  /** Sockets not yet closed; sessions leave {@link #sessions} earlier, as soon as they close. */
  private int connections;
  private Promise<Void> allClosed;
  private long sweepTimer = -1;
  private final AtomicLong queued;
  private final JsonLimits jsonLimits;
  /** Hellos this loop works on at once (its share of limits.hellosInFlight); the others wait their turn. */
  private final WaitingLine<Session> hellos;

  SessionManager(Context context, Services services, int loopIndex) {
    this.context = context;
    this.services = services;
    this.feeds = new FeedRegistry(context, services.bus(), services.store(), services.metrics()::delivered,
        services.options().getDelivery().getRepairIntervalMs(), services.metrics()::feedDropped);
    this.control = feeds.controlChannel(new ControlChannel.Handler() {
      @Override
      public void apply(ControlEvent event) {
        control(event);
      }

      @Override
      public void lost(long from, long to) {
        controlLost(from, to);
      }
    });
    this.idPrefix = services.options().getNodeName() + "." + loopIndex + ".";
    this.queued = services.metrics().outboundQueue();
    this.jsonLimits = new JsonLimits(services.options().getLimits().getMaxMessageBytes());
    this.hellos = WaitingLine.shareOf(services.options().getLimits().getHellosInFlight(),
        services.options().getHttp().getInstances(), services.metrics().connectsWaiting(ConnectLine.HELLO));
  }

  JsonLimits jsonLimits() {
    return jsonLimits;
  }

  WaitingLine<Session> hellos() {
    return hellos;
  }

  void start() {
    SwitchboardOptions o = services.options();
    long interval = Math.max(10, Math.min(1000,
        Math.min(o.getProtocol().getHeartbeatMs(), o.getProtocol().getHelloTimeoutMs()) / 5));
    sweepTimer = context.owner().setPeriodic(interval, t -> sweep());
    feeds.start();
    // the loop's place in the control log; until it is known, control events apply as they come
    OnContext.back(context, services.store().heads(List.of(ControlLog.STREAM))).onSuccess(heads ->
        control.headRead(heads.getOrDefault(ControlLog.STREAM, Position.NONE)));
  }

  void stop() {
    if (sweepTimer >= 0) {
      context.owner().cancelTimer(sweepTimer);
    }
    feeds.stop();
  }

  /**
   * @param info     what a connect proxy is told of the handshake; null without one
   * @param clientIp the client's address (behind trusted proxies, the one they name)
   */
  void accept(Connection connection, ConnectInfo info, String clientIp) {
    Session session = new Session(idPrefix + Long.toString(nextId++, 36), connection, this, clientIp);
    session.connectInfo = info;
    sessions.add(session);
    connections++;
    services.metrics().connectionOpened();
    connection.start(session);
  }

  /**
   * Closes every session with {@code reconnect} and 1012, each at a random instant within
   * {@code windowMs} so that the clients do not all land on the other nodes at once, and each told
   * to wait a random delay up to {@code hintMs}. Clients stay connected, and served, until their turn.
   * Completes when every connection of this loop has finished closing.
   */
  Future<Void> drain(long windowMs, long hintMs) {
    reconnectAll(windowMs, hintMs);
    if (connections == 0) {
      return Future.succeededFuture();
    }
    if (allClosed == null) {
      allClosed = Promise.promise();
    }
    return allClosed.future();
  }

  /** Every session gets {@code reconnect} and 1012, at a random instant within {@code windowMs}. */
  private void reconnectAll(long windowMs, long hintMs) {
    for (Session s : new ArrayList<>(sessions)) {
      long at = ThreadLocalRandom.current().nextLong(windowMs + 1);
      long after = ThreadLocalRandom.current().nextLong(hintMs + 1);
      if (at == 0) {
        s.restart(after);
      } else {
        context.owner().setTimer(at, t -> s.restart(after));
      }
    }
  }

  void connectionClosed() {
    if (--connections == 0 && allClosed != null) {
      allClosed.complete();
    }
  }

  void remove(Session session) {
    sessions.remove(session);
    if (session.authenticated()) {
      List<Session> own = byUser.get(session.user());
      if (own != null && own.remove(session) && own.isEmpty()) {
        byUser.remove(session.user());
      }
    }
  }

  /**
   * Every open session whose presence is counted. One in its hello is left out: its own opening
   * writes it, and the presence service orders that against what is done here.
   */
  void forEachCounted(LocalSessions.Visitor visitor) {
    for (Session s : sessions) {
      if (s.presenceIsCounted() && !s.isClosed()) {
        visitor.visit(s.id, s.user(), s.roomIds());
      }
    }
  }

  /** This loop's open sessions of {@code user}, for the admin's look-up. */
  List<JsonObject> describe(String user) {
    List<JsonObject> out = new ArrayList<>();
    for (Session s : byUser.getOrDefault(user, List.of())) {
      if (!s.isClosed()) {
        out.add(s.describe());
      }
    }
    return out;
  }

  /** The session's user is known: from now on it receives the control deliveries about that user. */
  void authenticated(Session session) {
    byUser.computeIfAbsent(session.user(), u -> new ArrayList<>(1)).add(session);
  }

  /** A control delivery from the bus: the channel applies it in log order. */
  void controlDelivery(Delivery d) {
    control.onDelivery(d);
  }

  /** A membership change or kick from any node, for this loop's sessions of the user it names. */
  private void control(ControlEvent e) {
    List<Session> own = byUser.get(e.user());
    if (own != null) {
      for (Session s : new ArrayList<>(own)) {
        s.control(e);
      }
    }
  }

  /**
   * Control events this loop never applied are gone from the log (the node was cut off or frozen
   * longer than the log keeps them): any session may have missed a kick or a membership change, so
   * all of them reconnect, spread over a few seconds, and start from what the store says now.
   */
  private void controlLost(long from, long to) {
    LOG.warn("control events " + from + "-" + to + " were lost before this node applied them; its "
        + sessions.size() + " sessions on this event loop reconnect");
    reconnectAll(CONTROL_LOST_WINDOW_MS, GatewayVerticle.RECONNECT_HINT_MS);
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    long bytes = 0;
    for (Session s : new ArrayList<>(sessions)) {
      s.sweep(now);
      bytes += s.conn.queuedBytes();
    }
    queued.set(bytes);
  }

  Context context() {
    return context;
  }

  Services services() {
    return services;
  }

  FeedRegistry feeds() {
    return feeds;
  }

  int size() {
    return sessions.size();
  }
}
