package io.switchboard.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.internal.util.ConcurrencyUtil;
import io.switchboard.config.ClusterOptions;
import io.switchboard.presence.hazelcast.PresenceMaps;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast configuration of a node: cluster.xml (from -Dvertx.hazelcast.config, the working
 * directory's classpath, or the jar), then the {@code cluster.*} settings on top, then what the
 * code depends on (the presence maps' format and merge policy).
 */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  /**
   * Where Hazelcast completes the futures of its batch calls ({@code submitToKeys}). Its default is
   * the common ForkJoinPool, or, where that pool has fewer than two threads (machines of one or two
   * cores), a new thread per callback: a hello that reads its rooms in one batch started threads.
   * Set once per process, to a pool of two daemon threads; the callbacks only hand results over.
   */
  private static final AtomicBoolean ASYNC_CALLBACKS_SET = new AtomicBoolean();

  static void boundAsyncCallbacks() {
    if (ForkJoinPool.getCommonPoolParallelism() < 2 && ASYNC_CALLBACKS_SET.compareAndSet(false, true)) {
      ConcurrencyUtil.setDefaultAsyncExecutor(new ForkJoinPool(2, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("hz-async-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
      }, null, true));
    }
  }

  /**
   * Hazelcast warns at every start that its CP Subsystem (Raft-backed locks, atomics, semaphores) is
   * off and such structures would be "UNSAFE". Switchboard uses none of them, so the warning only
   * alarms operators; its logger is kept here (a logger nobody holds loses its level).
   */
  private static final Logger CP_SUBSYSTEM_LOG = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  public static Config config(ClusterOptions o) {
    CP_SUBSYSTEM_LOG.setLevel(Level.SEVERE);
    boundAsyncCallbacks();
    Config config = ConfigUtil.loadConfig();
    if (config == null) {
      config = new Config();
    }
    if (o.getName() != null) {
      config.setClusterName(o.getName());
    }
    NetworkConfig network = config.getNetworkConfig();
    if (o.getPort() != null) {
      network.setPort(o.getPort()).setPortAutoIncrement(true);
    }
    if (o.getNetworkInterface() != null) {
      network.getInterfaces().setEnabled(true).clear().addInterface(o.getNetworkInterface());
    }
    JoinConfig join = network.getJoin();
    if (o.getKubernetesService() != null) {
      join.getMulticastConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", o.getKubernetesService());
    } else if (!o.getMembers().isEmpty()) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(o.getMembers());
    }
    defaults(config);
    // Hazelcast's default waits 60 s before declaring a silent member dead; its sessions would stay
    // "online" for a minute. Heartbeat every second and give up after the configured timeout.
    int timeoutSeconds = Math.max(2, o.getFailureTimeoutMs() / 1000);
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(timeoutSeconds));
    // a member whose connection dropped (killed process) is probed this often before being suspected
    config.setProperty("hazelcast.connection.monitor.interval", "100");
    config.setProperty("hazelcast.connection.monitor.max.faults", "3");
    // after a network partition heals, merge the halves within seconds (Hazelcast waits 5 minutes)
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    PresenceMaps.configure(config);
    return config;
  }

  /** Hazelcast's property: how many threads handle the answers of other members. */
  static final String RESPONSE_THREADS = "hazelcast.operation.response.thread.count";
  static final String BIND_ANY = "hazelcast.socket.bind.any";

  /** Properties Switchboard wants unless the file or a {@code -D} system property sets them. */
  static void defaults(Config config) {
    // listen only on the chosen interface (Hazelcast listens on all of them by default)
    setUnlessSet(config, BIND_ANY, "false");
    // An answer from another member is handled on the IO thread that read it instead of being
    // handed to a response thread: one thread wake-up less per remote call, and from two members on
    // every connect makes one (its presence entry, or its backup, is elsewhere); the bench's
    // scale-out shows the difference (docs/benchmarks-analysis.md). Safe because no callback of ours
    // runs there but a hand-over (HazelcastPresenceRegistry.async): a blocking Hazelcast call on
    // that thread would wait for an answer only that thread can read.
    setUnlessSet(config, RESPONSE_THREADS, "0");
  }

  private static void setUnlessSet(Config config, String property, String value) {
    if (config.getProperty(property) == null && System.getProperty(property) == null) {
      config.setProperty(property, value);
    }
  }
}
