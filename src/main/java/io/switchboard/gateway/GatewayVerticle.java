package io.switchboard.gateway;

import io.netty.channel.EventLoop;
import io.switchboard.presence.LocalSessions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.concurrent.TimeUnit;

import java.util.function.Function;

/**
 * One event loop's share of the node: the sessions whose sockets the front door registered on this
 * loop, with their stream feeds, and a Vert.x HTTP server on the node's internal loopback port for
 * the plain HTTP routes (health, metrics, API, the demo page), which the front door relays.
 */
public final class GatewayVerticle extends VerticleBase {

  public static final String WS_PATH = "/ws";
  /** Longest reconnect hint sent when the node stops or drains. */
  public static final long RECONNECT_HINT_MS = 2_000;
  /** Vert.x shares one random port among servers listening on the same negative port. */
  static final int SHARED_RANDOM_PORT = -1;

  private final Services services;
  private final Function<Vertx, Router> routes;
  private final WebSocketUpgrades upgrades;
  private final int loopIndex;
  private HttpServer server;
  private SessionManager sessions;

  /** @param routes builds the plain-HTTP router */
  public GatewayVerticle(Services services, Function<Vertx, Router> routes, WebSocketUpgrades upgrades, int loopIndex) {
    this.services = services;
    this.routes = routes;
    this.upgrades = upgrades;
    this.loopIndex = loopIndex;
  }

  @Override
  public Future<?> start() {
    sessions = new SessionManager(context, services, loopIndex);
    // relayed HTTP connections are past the front door's head timeout: an idle keep-alive one must not live forever
    server = vertx.createHttpServer(new HttpServerOptions()
            .setIdleTimeout(services.options().getHttp().getIdleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
        .requestHandler(routes.apply(vertx));
    // the control consumer first: no session exists before it, so none can miss a kick or a join
    return services.bus().subscribeControl(d -> sessions.controlDelivery(d))
        .compose(c -> server.listen(SHARED_RANDOM_PORT, "127.0.0.1")).onSuccess(s -> {
      sessions.start();
      upgrades.register(this);
      services.state().gatewayListening();
    });
  }

  @Override
  public Future<?> stop() {
    sessions.stop();
    services.state().gatewayStopped();
    return server.close();
  }

  /** Port of this node's internal HTTP server (the same for every gateway of the node). */
  public int internalPort() {
    return server.actualPort();
  }

  public EventLoop loop() {
    return ((ContextInternal) context).nettyEventLoop();
  }

  ContextInternal context() {
    return (ContextInternal) context;
  }

  SessionManager sessions() {
    return sessions;
  }

  /** Lists this loop's sessions counted in presence, on this loop (see {@link LocalSessions}). */
  public Future<Void> forEachCountedSession(LocalSessions.Visitor visitor) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (sessions != null) {
        sessions.forEachCounted(visitor);
      }
      done.complete();
    });
    return done.future();
  }

  /** This loop's open sessions of {@code user} (see {@link NodeControl#sessionsOf}), read on the loop. */
  public Future<List<JsonObject>> sessionsOf(String user) {
    Promise<List<JsonObject>> done = Promise.promise();
    context.runOnContext(v -> done.complete(sessions == null ? List.of() : sessions.describe(user)));
    return done.future();
  }

  /**
   * Closes this loop's sessions with {@code reconnect} + 1012, spread over {@code windowMs}. Must run
   * before Vert.x closes, which would close the event loops under them.
   */
  public Future<Void> drainSessions(long windowMs) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> sessions.drain(windowMs, RECONNECT_HINT_MS).onComplete(done));
    return done.future();
  }
}
