package io.switchboard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.api.EventBusApi;
import io.switchboard.api.HttpRoutes;
import io.netty.handler.ssl.SslContext;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.HttpOptions;
import io.switchboard.config.LimitsOptions;
import io.switchboard.config.PemFiles;
import io.switchboard.config.Setting;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.NodeControl;
import io.switchboard.gateway.Services;
import io.switchboard.gateway.WebSocketUpgrades;
import io.switchboard.transport.FrontDoor;
import io.switchboard.transport.FrontDoorSettings;
import io.switchboard.transport.HandshakeLimits;
import io.switchboard.transport.ServerTls;
import io.switchboard.store.Store;
import io.switchboard.store.TimedStore;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.util.Redaction;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Switchboard node: builds the node-wide services, then one {@link GatewayVerticle} per
 * configured instance, all on the same port.
 */
public final class SwitchboardVerticle extends VerticleBase implements NodeControl {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardVerticle.class);

  private SwitchboardOptions options;
  private PrometheusMeterRegistry registry;
  private final HazelcastClusterManager cluster;
  private final NodeParts parts;
  private Services services;
  private volatile int port;
  private final List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
  static final int MAX_HEAD_BYTES = 16 * 1024;
  private WebSocketUpgrades upgrades;
  /** Bound on waiting for presence updates at the end of a drain. */
  static final long PRESENCE_SETTLE_MS = 5_000;
  private FrontDoor frontDoor;
  private List<MessageConsumer<JsonObject>> consumers = List.of();
  private volatile Runnable afterDrain;

  /** Deployed by name (Main-Verticle): configuration from {@code config()} and the environment. */
  public SwitchboardVerticle() {
    this(null, null);
  }

  public SwitchboardVerticle(SwitchboardOptions options, PrometheusMeterRegistry registry) {
    this(options, registry, null, NodeParts.defaults());
  }

  /**
   * @param cluster       the cluster manager the node's Vert.x was built with (null when standalone)
   * @param storeOverride a store shared by several nodes of one JVM (tests), or null for the configured one
   */
  public SwitchboardVerticle(SwitchboardOptions options, PrometheusMeterRegistry registry,
                             HazelcastClusterManager cluster, Store storeOverride) {
    this(options, registry, cluster, NodeParts.defaults().withStore(storeOverride));
  }

  /**
   * @param cluster the cluster manager the node's Vert.x was built with (null when standalone)
   * @param parts   parts supplied instead of the configured ones (see {@link NodeParts})
   */
  public SwitchboardVerticle(SwitchboardOptions options, PrometheusMeterRegistry registry,
                             HazelcastClusterManager cluster, NodeParts parts) {
    this.options = options;
    this.registry = registry;
    this.cluster = cluster;
    this.parts = parts;
  }

  @Override
  public Future<?> start() {
    if (options == null) {
      options = ConfigLoader.load(config(), System.getenv());
    }
    if (registry == null) {
      registry = Nodes.newRegistry();
    }
    services = NodeServices.create(vertx, options, registry, cluster, parts, this);
    upgrades = new WebSocketUpgrades(services);
    Future<Void> deployed = Future.succeededFuture();
    for (int i = 0; i < options.getHttp().getInstances(); i++) {
      int index = i;
      deployed = deployed.compose(v -> deployGateway(index));
    }
    services.presence().localSessions(visitor -> Future.all(gateways.stream()
        .map(g -> g.forEachCountedSession(visitor)).toList()).mapEmpty());
    return deployed
        .compose(v -> serverTls())
        .compose(tls -> FrontDoor.bind(frontDoorSettings(tls), ((VertxInternal) vertx).acceptorEventLoopGroup().next(),
            gateways.stream().map(GatewayVerticle::loop).toList(), ((VertxInternal) vertx).transport(), upgrades))
        .onSuccess(door -> {
          frontDoor = door;
          port = door.port();
        })
        .compose(door -> EventBusApi.register(vertx, services).onSuccess(c -> consumers = c))
        .onSuccess(v -> services.webhooks().start())
        .onSuccess(v -> banner());
  }

  private FrontDoorSettings frontDoorSettings(SslContext tls) {
    HttpOptions http = options.getHttp();
    LimitsOptions limits = options.getLimits();
    return new FrontDoorSettings(http.getHost(), http.getPort(), GatewayVerticle.WS_PATH,
        limits.getMaxMessageBytes(), gateways.get(0).internalPort(), http.getRequestHeadTimeoutMs(), MAX_HEAD_BYTES,
        limits.getMaxOutboundBytes(), http.isCompression(),
        new HandshakeLimits(limits.getMaxConnections(), limits.getMaxConnectionsPerIp(),
            limits.getHandshakesPerIpPerSecond(), http.getTrustedProxies(), LimitsOptions.UPGRADES_PER_HELLO * limits.getHellosInFlight()),
        tls);
  }

  /** The wss/https context, read off the event loop; null without http.tlsCertPath. */
  private Future<SslContext> serverTls() {
    PemFiles files = options.getHttp().getTls();
    if (files == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> ServerTls.load(vertx, files.certPath(), files.keyPath()))
        .recover(e -> Future.failedFuture(new ConfigException(Setting.HTTP_TLS_CERT_PATH.key(),
            "cannot use " + files.certPath() + " and " + files.keyPath() + " for TLS: " + e.getMessage())));
  }

  @Override
  public Future<?> stop() {
    if (services == null) {
      return Future.succeededFuture();
    }
    if (frontDoor != null) {
      frontDoor.close();
    }
    services.presence().close();
    consumers.forEach(MessageConsumer::unregister);
    // the beat goes before the store closes: the others then see this node gone at once; the webhook
    // lease too, so that another node delivers at once
    return services.webhooks().stop().recover(e -> Future.succeededFuture())
        .compose(v -> services.directory().close())
        .compose(v -> parts.store() != null ? Future.succeededFuture() : services.store().close());
  }

  /** The port the node listens on (resolved when the configuration asked for 0). */
  @Override
  public int port() {
    return port;
  }

  @Override
  public Future<List<JsonObject>> sessionsOf(String user) {
    return Future.all(gateways.stream().map(g -> g.sessionsOf(user)).toList()).map(all -> {
      List<JsonObject> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.addAll(all.<List<JsonObject>>resultAt(i));
      }
      return out;
    });
  }

  public Services nodeServices() {
    return services;
  }

  private Future<Void> deployGateway(int index) {
    GatewayVerticle gateway = new GatewayVerticle(services, v -> HttpRoutes.router(v, services), upgrades, index);
    gateways.add(gateway);
    return vertx.deployVerticle(gateway, new DeploymentOptions()).mapEmpty();
  }

  /**
   * Drains the node: readiness goes down, new upgrades get 503, and every session is closed with a
   * {@code reconnect} hint and 1012 at a random instant within {@code windowMs}, so clients resume on
   * other nodes without all arriving at once. Completes once every session is closed. Call it before
   * closing Vert.x (the launcher does, on SIGTERM and SIGINT).
   */
  public Future<Void> drain(long windowMs) {
    if (services == null) {
      return Future.succeededFuture();
    }
    if (!services.state().draining()) {
      LOG.info("Draining: " + services.metrics().connections() + " connections closed within " + windowMs + " ms");
    }
    services.state().draining(true);
    List<Future<Void>> loops = new ArrayList<>();
    gateways.forEach(g -> loops.add(g.drainSessions(windowMs)));
    // then the presence of the sessions just closed: their rooms must hear "offline" before the node goes
    return Future.all(loops)
        .compose(v -> services.presence().settled().timeout(PRESENCE_SETTLE_MS, TimeUnit.MILLISECONDS)
            .recover(e -> Future.succeededFuture()));
  }

  @Override
  public String nodeId() {
    return vertx.isClustered() && cluster != null ? cluster.getNodeId() : options.getNodeName();
  }

  /**
   * Drains over {@code cluster.drainMs}, then runs what {@link #afterDrain(Runnable)} set (by
   * default: closes this node's Vert.x, which leaves the cluster).
   */
  @Override
  public Future<Long> drainAndStop() {
    long window = options.getCluster().getDrainMs();
    if (!services.state().draining()) {
      drain(window).onComplete(ar -> (afterDrain != null ? afterDrain : (Runnable) vertx::close).run());
    }
    return Future.succeededFuture(window);
  }

  /** What to do once a drain asked through the API is over (the launcher exits the process). */
  public void afterDrain(Runnable action) {
    this.afterDrain = action;
  }

  /**
   * The drain a stop should do: over {@code cluster.drainMs} when clustered, since other nodes take
   * the clients; at once when standalone, where they can only come back to this node after a restart.
   */
  public Future<Void> shutdown() {
    return drain(vertx != null && vertx.isClustered() ? options.getCluster().getDrainMs() : 0);
  }

  private String storeDescription() {
    Store store = services.store() instanceof TimedStore t ? t.unwrap() : services.store();
    if (store instanceof InMemoryStore) {
      return "In-memory store: everything is lost when the node stops.";
    }
    return "Store: Redis " + options.getStore().getRedis().getUrls().stream().map(Redaction::url).toList() + ".";
  }

  private void banner() {
    boolean tls = options.getHttp().getTls() != null;
    String hostPort = options.getHttp().getHost() + ":" + port;
    String url = (tls ? "https://" : "http://") + hostPort;
    if (options.getAuth().isDevMode()) {
      LOG.warn("\n"
          + "  ==================================================================\n"
          + "   Switchboard DEV MODE: " + url + "\n"
          + "   Anyone can get a token at " + url + "/dev/token?user=<name>\n"
          + "   " + storeDescription() + "\n"
          + (keyConfigured()
              ? "   Bound to loopback only. Tokens signed with the configured key\n"
                + "   work as well; turn dev mode off for real use.\n"
              : "   Bound to loopback only. Configure auth.jwtSecret or\n"
                + "   auth.jwtPublicKey (see docs/configuration.md) for real use.\n")
          + "  ==================================================================");
    }
    LOG.info("Switchboard node " + options.getNodeName() + " listening on " + url + " (WebSocket: " + (tls ? "wss://" : "ws://") + hostPort
        + GatewayVerticle.WS_PATH + ", " + options.getHttp().getInstances() + " event loops, " + transportName() + ")");
  }

  private boolean keyConfigured() {
    return options.getAuth().getJwtSecret() != null || options.getAuth().getJwtPublicKeyPem() != null;
  }

  /** Which socket transport the node runs on, and why not epoll when it was asked for and did not load. */
  private String transportName() {
    if (vertx.isNativeTransportEnabled()) {
      return ((VertxInternal) vertx).transport().getClass().getSimpleName().replace("Transport", "").toLowerCase() + " transport";
    }
    Throwable why = vertx.unavailableNativeTransportCause();
    return options.getHttp().isNativeTransport() && why != null
        ? "NIO transport: the native transport did not load (" + why.getMessage() + ")" : "NIO transport";
  }
}
