package io.switchboard.support;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.NodeParts;
import io.switchboard.Nodes;
import io.switchboard.SwitchboardVerticle;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real node in this JVM on a free port, built the way the launcher builds one: own Vert.x, own
 * metrics registry, configuration through {@link ConfigLoader}. Tests only add keys they care about.
 */
public final class TestNode implements AutoCloseable {

  public static final String SECRET = "test-secret-that-is-long-enough-for-hs256!";

  private final Vertx vertx;
  private final SwitchboardVerticle verticle;
  private final SwitchboardOptions options;
  private boolean closed;

  private TestNode(Vertx vertx, SwitchboardVerticle verticle, SwitchboardOptions options) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.options = options;
  }

  /** A production-mode node (HS256 with {@link #SECRET}) with {@code overrides} merged in. */
  public static TestNode start(JsonObject overrides) {
    return start(overrides, NodeParts.defaults());
  }

  public static TestNode start() {
    return start(new JsonObject());
  }

  /** Exactly this configuration, nothing added. */
  public static TestNode startRaw(JsonObject config) {
    return start(config, false, NodeParts.defaults());
  }

  /** A standalone production-mode node with {@code overrides} merged in and parts of the test's own. */
  public static TestNode start(JsonObject overrides, NodeParts parts) {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .put("auth", new JsonObject().put("jwtSecret", SECRET))
        .put("limits", testLimits());
    return start(config.mergeIn(overrides, true), false, parts);
  }

  /**
   * A node of an in-JVM cluster: its own Vert.x and Hazelcast member, joining the members on
   * 127.0.0.1 from {@code hazelcastPort}; {@code sharedStore} stands in for Redis between nodes of
   * this JVM (same contract, one object).
   */
  public static TestNode startClustered(JsonObject overrides, String clusterName, int hazelcastPort, Store sharedStore) {
    return startClustered(overrides, clusterName, hazelcastPort, NodeParts.defaults().withStore(sharedStore));
  }

  /** Like {@link #startClustered(JsonObject, String, int, Store)}, with parts of the test's own (clock, bus, store). */
  public static TestNode startClustered(JsonObject overrides, String clusterName, int hazelcastPort, NodeParts parts) {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .put("auth", new JsonObject().put("jwtSecret", SECRET))
        .put("cluster", new JsonObject().put("name", clusterName).put("port", hazelcastPort)
            .put("members", new io.vertx.core.json.JsonArray().add("127.0.0.1"))
            // a loaded test machine can starve a member for seconds: only tests of detection go lower
            .put("failureTimeoutMs", 30_000))
        .put("limits", testLimits());
    return start(config.mergeIn(overrides, true), true, parts);
  }

  /**
   * Every test client comes from 127.0.0.1, often dozens within a second: the per-IP handshake
   * limits are raised out of the way, and tests of those limits set their own.
   */
  private static JsonObject testLimits() {
    return new JsonObject().put("handshakesPerIpPerSecond", 100_000).put("maxConnectionsPerIp", 100_000);
  }

  private static TestNode start(JsonObject config, boolean clustered, NodeParts parts) {
    SwitchboardOptions options = ConfigLoader.load(config, Map.of());
    PrometheusMeterRegistry registry = Nodes.newRegistry();
    HazelcastClusterManager cluster = Nodes.clusterManager(options);
    var builder = Nodes.vertxBuilder(new VertxOptions(), options, registry, cluster);
    Vertx vertx = clustered ? builder.buildClustered().await() : builder.build();
    SwitchboardVerticle verticle = new SwitchboardVerticle(options, registry, cluster, parts);
    try {
      vertx.deployVerticle(verticle).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
    return new TestNode(vertx, verticle, options);
  }

  public int port() {
    return verticle.port();
  }

  public Vertx vertx() {
    return vertx;
  }

  public SwitchboardOptions options() {
    return options;
  }

  public WsClient connect() {
    return WsClient.connect(this, Map.of());
  }

  public WsClient connect(Map<String, String> headers) {
    return WsClient.connect(this, headers);
  }

  /** Connects and completes hello for {@code user} with a default token; returns after welcome. */
  public WsClient login(String user) {
    // signed before connecting: the hello timeout runs from the upgrade
    String token = Tokens.user(user).sign();
    WsClient c = connect();
    c.hello(token, null, null);
    return c;
  }

  /** The node's own services, for tests that act as a misbehaving part of the system. */
  public io.switchboard.gateway.Services services() {
    return verticle.nodeServices();
  }

  public Http http() {
    return new Http(vertx, port());
  }

  /** Bound on stopping a node: one that lost its cluster member may never finish closing. */
  static final long CLOSE_SECONDS = 30;

  /** Stops the node the way the launcher does on SIGTERM: sessions get reconnect + 1012 first. */
  @Override
  public void close() {
    closeWithin(CLOSE_SECONDS);
  }

  /** Like {@link #close()}, waiting at most this long at each step; closing twice does nothing. */
  public synchronized void closeWithin(long seconds) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      verticle.drain(0).await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // close anyway
    } finally {
      try {
        vertx.close().await(seconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        // a node whose Hazelcast member was terminated: its threads are left to the JVM's exit
      }
    }
  }
}
