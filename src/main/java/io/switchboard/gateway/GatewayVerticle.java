package io.switchboard.gateway;

import io.switchboard.config.HttpOptions;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.metrics.GatewayMetrics.Handshake;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.ext.web.Router;

import java.util.function.Function;

/**
 * One event loop's share of the node: an HTTP server on the node's port (Vert.x spreads connections
 * over the instances) carrying /ws and the HTTP routes, with its own sessions and stream feeds.
 */
public final class GatewayVerticle extends VerticleBase {

  public static final String WS_PATH = "/ws";

  private final Services services;
  private final Function<Vertx, Router> routes;
  private final int loopIndex;
  private final int port;
  private final OriginPolicy origins;
  private HttpServer server;
  private SessionManager sessions;

  /** @param routes builds the plain-HTTP router served next to /ws on the same port */
  public GatewayVerticle(Services services, Function<Vertx, Router> routes, int loopIndex, int port) {
    this.services = services;
    this.routes = routes;
    this.loopIndex = loopIndex;
    this.port = port;
    this.origins = new OriginPolicy(services.options().getHttp().getAllowedOrigins());
  }

  @Override
  public Future<?> start() {
    sessions = new SessionManager(context, services, loopIndex);
    HttpOptions http = services.options().getHttp();
    server = vertx.createHttpServer(serverOptions(services.options()))
        .requestHandler(routes.apply(vertx))
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(sessions::accept);
    return server.listen(port, http.getHost()).onSuccess(s -> {
      sessions.start();
      services.state().gatewayListening();
    });
  }

  /** Longest reconnect hint sent when the node stops or drains. */
  public static final long RECONNECT_HINT_MS = 2_000;

  @Override
  public Future<?> stop() {
    sessions.stop();
    services.state().gatewayStopped();
    return server.close();
  }

  /**
   * Closes this loop's sessions with {@code reconnect} + 1012, spread over {@code windowMs}. Must run
   * before Vert.x closes: Vert.x closes servers first, with a plain 1000 that tells clients not to
   * come back.
   */
  public Future<Void> drainSessions(long windowMs) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> sessions.drain(windowMs, RECONNECT_HINT_MS).onComplete(done));
    return done.future();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handshake(ServerWebSocketHandshake hs) {
    if (!WS_PATH.equals(hs.path())) {
      services.metrics().handshake(Handshake.NOT_FOUND);
      hs.reject(404);
    } else if (!origins.allows(hs.headers().get("Origin"), hs.headers().get("Host"))) {
      services.metrics().handshake(Handshake.ORIGIN_REJECTED);
      hs.reject(403);
    } else if (services.state().draining()) {
      services.metrics().handshake(Handshake.DRAINING);
      hs.reject(503);
    } else {
      services.metrics().handshake(Handshake.UPGRADED);
      hs.accept();
    }
  }

  static HttpServerOptions serverOptions(SwitchboardOptions o) {
    int max = o.getLimits().getMaxMessageBytes();
    boolean deflate = o.getHttp().isCompression();
    return new HttpServerOptions()
        .setMaxWebSocketFrameSize(max)
        .setMaxWebSocketMessageSize(max)
        .setPerMessageWebSocketCompressionSupported(deflate)
        .setPerFrameWebSocketCompressionSupported(deflate)
        .setRegisterWebSocketWriteHandlers(false);
  }
}
