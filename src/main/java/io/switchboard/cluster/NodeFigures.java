package io.switchboard.cluster;

import com.sun.management.UnixOperatingSystemMXBean;
import io.switchboard.BuildInfo;
import io.switchboard.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What a node reports about itself in its directory entry, read again at every refresh: state,
 * messages in and out per second since the previous refresh, the health of Redis and of the
 * Hazelcast view, heap and open files. GET /api/v1/nodes and the admin console's live view show it.
 * Health checks that do not answer within {@link #CHECK_MS} count as down, so a frozen Redis never
 * holds up the entry.
 */
public final class NodeFigures {

  public static final String READY = "ready";
  public static final String DRAINING = "draining";
  public static final String NOT_IN_CLUSTER = "not in the cluster";
  static final long CHECK_MS = 800;

  /**
   * Where the figures come from.
   *
   * @param id        the node's id (known once its Vert.x runs)
   * @param address   where the node serves HTTP and WebSockets, host:port
   * @param draining  whether the node drains
   * @param redis     pings the store's Redis; null when the store is in memory
   * @param inCluster whether the node is in the cluster ({@code ClusterLiveness}); always true standalone
   * @param members   Hazelcast members in the node's view, itself included; null standalone
   */
  public record Sources(Supplier<String> id, String name, long startedAt, Supplier<String> address, GatewayMetrics metrics,
                        BooleanSupplier draining, Supplier<Future<Void>> redis, Supplier<Future<Boolean>> inCluster,
                        IntSupplier members) {
  }

  private final Sources sources;
  private long lastAt = System.nanoTime();
  private long lastIn;
  private long lastOut;

  public NodeFigures(Sources sources) {
    this.sources = sources;
  }

  /** The entry now; rates cover the time since the previous call. Never fails. */
  public synchronized Future<NodeInfo> refresh() {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastAt) / 1e9);
    long in = sources.metrics().messagesIn();
    long out = sources.metrics().messagesOut();
    JsonObject figures = new JsonObject()
        .put("address", address())
        .put("version", BuildInfo.version())
        .put("messagesInPerSecond", round((in - lastIn) / seconds))
        .put("messagesOutPerSecond", round((out - lastOut) / seconds));
    lastAt = now;
    lastIn = in;
    lastOut = out;
    Runtime rt = Runtime.getRuntime();
    figures.put("heapUsed", rt.totalMemory() - rt.freeMemory()).put("heapMax", rt.maxMemory());
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      figures.put("openFiles", unix.getOpenFileDescriptorCount()).put("maxFiles", unix.getMaxFileDescriptorCount());
    }
    try {
      figures.put("members", sources.members() == null ? null : sources.members().getAsInt());
    } catch (RuntimeException shuttingDown) {
      figures.put("members", 0);
    }
    Future<String> redis = sources.redis() == null ? Future.succeededFuture("none")
        : check(sources.redis().get().map(v -> true)).map(up -> up ? "up" : "down");
    Future<Boolean> inCluster = check(sources.inCluster().get());
    boolean draining = sources.draining().getAsBoolean();
    return Future.join(redis, inCluster).transform(ar -> {
      figures.put("redis", redis.result())
          .put("state", draining ? DRAINING : Boolean.TRUE.equals(inCluster.result()) ? READY : NOT_IN_CLUSTER);
      return Future.succeededFuture(new NodeInfo(sources.id().get(), sources.name(), sources.metrics().connections(),
          draining, sources.startedAt(), figures));
    });
  }

  private String address() {
    try {
      return sources.address().get();
    } catch (RuntimeException shuttingDown) {
      return null;
    }
  }

  /** {@code last} with this instant's connection count and draining flag (the rest as last refreshed). */
  public NodeInfo live(NodeInfo last) {
    boolean draining = sources.draining().getAsBoolean();
    JsonObject figures = last.figures().copy();
    if (draining) {
      figures.put("state", DRAINING);
    }
    return new NodeInfo(last.id(), last.name(), sources.metrics().connections(), draining, last.startedAt(), figures);
  }

  /** True when {@code check} answers true in time; false when it fails, answers false or does not answer. */
  private static Future<Boolean> check(Future<Boolean> check) {
    return check.timeout(CHECK_MS, TimeUnit.MILLISECONDS).otherwise(false);
  }

  private static double round(double rate) {
    return Math.round(rate * 10) / 10.0;
  }
}
