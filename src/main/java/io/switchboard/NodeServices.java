package io.switchboard;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.auth.DevTokens;
import io.switchboard.auth.TokenVerifier;
import io.switchboard.cluster.ClusterLiveness;
import io.switchboard.cluster.HazelcastNodeDirectory;
import io.switchboard.cluster.LocalNodeDirectory;
import io.switchboard.cluster.NodeDirectory;
import io.switchboard.cluster.NodeFigures;
import io.switchboard.cluster.SwitchboardClusterManager;
import io.switchboard.config.ConfigException;
import io.switchboard.config.Setting;
import io.switchboard.config.StoreOptions;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.backend.Proxies;
import io.switchboard.gateway.Authentication;
import io.switchboard.gateway.NodeControl;
import io.switchboard.gateway.NodeState;
import io.switchboard.gateway.Services;
import io.switchboard.metrics.ClusterMembersGauge;
import io.switchboard.metrics.FileDescriptorGauges;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.metrics.JvmTimeCounters;
import io.switchboard.presence.LocalPresenceRegistry;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.PresenceService;
import io.switchboard.presence.hazelcast.HazelcastPresenceRegistry;
import io.switchboard.routing.ControlLog;
import io.switchboard.routing.EventBusStreamBus;
import io.switchboard.routing.Memberships;
import io.switchboard.routing.Publisher;
import io.switchboard.routing.StreamBus;
import io.switchboard.store.Store;
import io.switchboard.store.TimedStore;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.store.redis.RedisStore;
import io.switchboard.webhooks.EventQueue;
import io.switchboard.webhooks.InMemoryEventQueue;
import io.switchboard.webhooks.WebhookNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Chooses and builds the parts of a node: one store and one presence registry for a standalone
 * node, shared ones (Redis, Hazelcast) for a clustered one.
 */
final class NodeServices {

  private NodeServices() {
  }

  /**
   * @param cluster      the node's cluster manager; used only when Vert.x runs clustered
   * @param parts        parts supplied instead of the configured ones (see {@link NodeParts})
   */
  static Services create(Vertx vertx, SwitchboardOptions options, MeterRegistry registry,
                         HazelcastClusterManager cluster, NodeParts parts, NodeControl control) {
    boolean clustered = vertx.isClustered() && cluster != null;
    Store untimed = parts.store() != null ? parts.store() : store(vertx, options, clustered, parts.clock());
    Store store = options.isMetricsEnabled() ? new TimedStore(untimed, registry) : untimed;
    GatewayMetrics metrics = new GatewayMetrics(registry);
    FileDescriptorGauges.register(registry);
    JvmTimeCounters.register(registry);
    if (clustered) {
      ClusterMembersGauge.register(registry, cluster.getHazelcastInstance());
    }
    HazelcastPresenceRegistry shared = clustered
        ? new HazelcastPresenceRegistry(vertx, cluster.getHazelcastInstance(), cluster.getNodeId(), store)
        : null;
    // clustered, deliveries to a user go where presence counts their sessions (PresenceNodeSelector)
    boolean usersByPresence = clustered && cluster instanceof SwitchboardClusterManager;
    if (usersByPresence) {
      ((SwitchboardClusterManager) cluster).selector().routeUsers(shared, metrics::routeLookupFailed);
    }
    StreamBus bus = parts.bus().apply(new EventBusStreamBus(vertx, usersByPresence));
    PresenceRegistry presenceRegistry = parts.presence().apply(clustered ? shared : new LocalPresenceRegistry());
    String devSecret = null;
    DevTokens devTokens = null;
    if (options.getAuth().isDevMode()) {
      devSecret = options.getAuth().getJwtSecret() != null ? options.getAuth().getJwtSecret() : DevTokens.randomSecret();
      devTokens = new DevTokens(vertx, options.getAuth(), devSecret);
    }
    TokenVerifier tokens = options.getAuth().hasTokenKey() ? TokenVerifier.create(vertx, options.getAuth(), devSecret) : null;
    Proxies proxies = Proxies.create(vertx, options, registry, parts.clock());
    WebhookNode webhooks = options.getWebhooks().isEnabled()
        ? WebhookNode.create(vertx, vertx.getOrCreateContext(), options, eventQueue(untimed, options, parts.clock()),
            presenceRegistry, store, registry, parts.clock())
        : WebhookNode.disabled();
    PresenceService presence = new PresenceService(vertx, presenceRegistry, bus, options.getPresence(), webhooks.events());
    ControlLog controlLog = new ControlLog(store, bus);
    NodeState state = new NodeState(options.getHttp().getInstances());
    NodeDirectory directory = directory(vertx, options, clustered ? cluster : null, store, untimed, metrics, state, control);
    return new Services(options, parts.clock(), store, bus, presence, new Authentication(tokens, proxies.connect()), proxies,
        devTokens, metrics, state,
        new Publisher(store, bus, metrics, webhooks.events()), new Memberships(store, store, presence, controlLog, webhooks.events()),
        controlLog, directory, control, webhooks);
  }

  /** The cluster's nodes, with this node's own entry refreshed from its figures. */
  private static NodeDirectory directory(Vertx vertx, SwitchboardOptions options, HazelcastClusterManager cluster, Store store,
                                         Store untimed, GatewayMetrics metrics, NodeState state, NodeControl control) {
    ClusterLiveness liveness = cluster == null ? null
        : new ClusterLiveness(vertx, cluster.getHazelcastInstance(), cluster.getNodeId(), store);
    String host = options.getHttp().getHost();
    // a wildcard bind says nothing about where to reach the node: the cluster member's address does
    // null until the node listens (its first entry may be written before that)
    Supplier<String> address = () -> control.port() == 0 ? null : (cluster != null && ("0.0.0.0".equals(host) || "::".equals(host))
        ? cluster.getHazelcastInstance().getCluster().getLocalMember().getAddress().getHost() : host) + ":" + control.port();
    NodeFigures figures = new NodeFigures(new NodeFigures.Sources(control::nodeId, options.getNodeName(),
        System.currentTimeMillis(), address, metrics, state::draining,
        untimed instanceof RedisStore ? store::ping : null,
        liveness == null ? () -> Future.succeededFuture(true) : liveness::inCluster,
        cluster == null ? null : () -> cluster.getHazelcastInstance().getCluster().getMembers().size()));
    return cluster == null ? new LocalNodeDirectory(vertx, figures)
        : new HazelcastNodeDirectory(vertx, cluster.getHazelcastInstance(), figures, control::nodeId, liveness);
  }

  /** The webhook queue lives where the store does: in Redis, shared by the cluster, or in this process. */
  private static EventQueue eventQueue(Store store, SwitchboardOptions options, Clock clock) {
    Store untimed = store instanceof TimedStore t ? t.unwrap() : store;
    int cap = options.getWebhooks().getQueueCap();
    int deadLetterCap = options.getWebhooks().getDeadLetterCap();
    return untimed instanceof RedisStore redis ? redis.eventQueue(cap, deadLetterCap) : new InMemoryEventQueue(cap, deadLetterCap, clock);
  }

  private static Store store(Vertx vertx, SwitchboardOptions options, boolean clustered, Clock clock) {
    String type = options.getStore().resolvedType(clustered);
    if (StoreOptions.MEMORY.equals(type)) {
      if (clustered) {
        throw new ConfigException(Setting.STORE_TYPE.key(), StoreOptions.CLUSTERED_MEMORY_STORE);
      }
      return new InMemoryStore(options.getStore(), clock);
    }
    return new RedisStore(vertx, options.getStore(), clock);
  }
}
