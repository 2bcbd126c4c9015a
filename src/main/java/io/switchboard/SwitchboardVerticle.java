package io.switchboard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.api.HttpRoutes;
import io.switchboard.auth.DevTokens;
import io.switchboard.auth.TokenVerifier;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.NodeState;
import io.switchboard.gateway.Services;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.presence.LocalPresenceRegistry;
import io.switchboard.presence.PresenceService;
import io.switchboard.routing.EventBusStreamBus;
import io.switchboard.routing.StreamBus;
import io.switchboard.store.Store;
import io.switchboard.store.memory.InMemoryStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Switchboard node: builds the node-wide services, then one {@link GatewayVerticle} per
 * configured instance, all on the same port.
 */
public final class SwitchboardVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardVerticle.class);

  private SwitchboardOptions options;
  private PrometheusMeterRegistry registry;
  private Services services;
  private volatile int port;
  private final List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();

  /** Deployed by name (Main-Verticle): configuration from {@code config()} and the environment. */
  public SwitchboardVerticle() {
    this(null, null);
  }

  public SwitchboardVerticle(SwitchboardOptions options, PrometheusMeterRegistry registry) {
    this.options = options;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    if (options == null) {
      options = ConfigLoader.load(config(), System.getenv());
    }
    if (registry == null) {
      registry = Nodes.newRegistry();
    }
    if (vertx.isClustered()) {
      LOG.warn("Clustered, but on the in-memory store: messages, cursors and memberships are not shared "
          + "between nodes. Run one node only until a shared store is configured.");
    }
    services = services();
    // port 0 means "any free port": Vert.x shares a random port among servers given the same negative port
    int listenOn = options.getHttp().getPort() == 0 ? -1 : options.getHttp().getPort();
    Future<Integer> deployed = Future.succeededFuture();
    for (int i = 0; i < options.getHttp().getInstances(); i++) {
      int index = i;
      deployed = deployed.compose(v -> deployGateway(index, listenOn));
    }
    return deployed
        .onSuccess(actual -> port = actual)
        .onSuccess(v -> banner());
  }

  @Override
  public Future<?> stop() {
    return services == null ? Future.succeededFuture() : services.store().close();
  }

  /** The port the node listens on (resolved when the configuration asked for 0). */
  public int port() {
    return port;
  }

  public Services nodeServices() {
    return services;
  }

  private Services services() {
    Store store = new InMemoryStore(options.getStore());
    StreamBus bus = new EventBusStreamBus(vertx);
    String devSecret = null;
    DevTokens devTokens = null;
    if (options.getAuth().isDevMode()) {
      devSecret = options.getAuth().getJwtSecret() != null ? options.getAuth().getJwtSecret() : DevTokens.randomSecret();
      devTokens = new DevTokens(vertx, options.getAuth(), devSecret);
    }
    TokenVerifier tokens = TokenVerifier.create(vertx, options.getAuth(), devSecret);
    PresenceService presence = new PresenceService(new LocalPresenceRegistry(), bus, options.getPresence());
    return new Services(options, store, bus, presence, tokens, devTokens, new GatewayMetrics(registry),
        new NodeState(options.getHttp().getInstances()));
  }

  private Future<Integer> deployGateway(int index, int onPort) {
    GatewayVerticle gateway = new GatewayVerticle(services, v -> HttpRoutes.router(v, services), index, onPort);
    gateways.add(gateway);
    return vertx.deployVerticle(gateway, new DeploymentOptions()).map(id -> gateway.actualPort());
  }

  /**
   * Stops taking connections (readiness goes down, new upgrades get 503) and closes every session
   * with a {@code reconnect} hint and 1012, so clients resume on another node. Call it before
   * closing Vert.x; the launcher does on SIGTERM and SIGINT.
   */
  public Future<Void> shutdown() {
    if (services == null) {
      return Future.succeededFuture();
    }
    services.state().draining(true);
    List<Future<Void>> loops = new ArrayList<>();
    gateways.forEach(g -> loops.add(g.restartSessions()));
    return Future.all(loops).mapEmpty();
  }

  private void banner() {
    String url = "http://" + options.getHttp().getHost() + ":" + port;
    if (options.getAuth().isDevMode()) {
      LOG.warn("\n"
          + "  ==================================================================\n"
          + "   Switchboard DEV MODE: " + url + "\n"
          + "   Anyone can get a token at " + url + "/dev/token?user=<name>\n"
          + "   In-memory store: everything is lost when the node stops.\n"
          + "   Bound to loopback only. Configure auth.jwtSecret or\n"
          + "   auth.jwtPublicKey (see docs/configuration.md) for real use.\n"
          + "  ==================================================================");
    }
    LOG.info("Switchboard node " + options.getNodeName() + " listening on " + url + " (WebSocket: " + url
        + GatewayVerticle.WS_PATH + ", " + options.getHttp().getInstances() + " event loops)");
  }
}
