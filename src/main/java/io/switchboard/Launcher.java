package io.switchboard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.cli.Cli;
import io.switchboard.config.ConfArgument;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.Setting;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.logging.LogFormat;
import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import sun.misc.Signal;

/**
 * {@code java -jar switchboard.jar [-conf conf/config.json] [-cluster]}. Configuration is loaded and
 * validated before Vert.x starts, so a bad key stops the process with a message naming it. The
 * subcommands ({@code version}, {@code check-config}, ...) are {@link Cli}'s, and run without Vert.x.
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  /** Exit status for an invalid configuration (EX_CONFIG in sysexits.h). */
  public static final int EXIT_CONFIG = 78;

  /** A second signal while shutting down exits at once (130 = 128 + SIGINT, as shells report it). */
  static final int EXIT_SIGNALLED_TWICE = 130;
  /** Beyond the drain window, for the last close handshakes. */
  static final int SHUTDOWN_GRACE_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private SwitchboardOptions options;
  private PrometheusMeterRegistry registry;
  private HazelcastClusterManager cluster;
  private volatile SwitchboardVerticle node;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private final boolean clustered;

  public Launcher(String[] args) {
    super(args);
    this.clustered = Arrays.stream(args).anyMatch(a -> a.equals("-cluster") || a.equals("--cluster") || a.equals("-c"));
  }

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
    }
    // from the first line on, before the configuration is read; a bad value is reported by the loader
    LogFormat early = LogFormat.parse(System.getenv(Setting.LOG_FORMAT.env()));
    (early != null ? early : LogFormat.TEXT).install();
    // a command (version, check-config, ...) or wrong arguments end here, before Vert.x
    OptionalInt command = new Cli(System.getenv(), System.out, System.err).run(args);
    if (command.isPresent()) {
      System.exit(command.getAsInt());
    }
    try {
      ConfArgument.check(args);
    } catch (ConfigException e) {
      LOG.error(e.getMessage());
      System.exit(EXIT_CONFIG);
    }
    new Launcher(args).launch();
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    try {
      options = ConfigLoader.load(config, System.getenv(), clustered);
      options.getLog().getFormat().install();
    } catch (ConfigException e) {
      LOG.error(e.getMessage());
      System.exit(EXIT_CONFIG);
    }
    return config;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions vertxOptions) {
    registry = Nodes.newRegistry();
    cluster = Nodes.clusterManager(options);
    return Nodes.vertxBuilder(vertxOptions, options, registry, cluster);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      node = new SwitchboardVerticle(options, registry, cluster, NodeParts.defaults());
      // a drain asked through the API ends the process, as SIGTERM does
      node.afterDrain(() -> new Thread(() -> System.exit(0), "switchboard-exit").start());
      return node;
    };
  }

  /**
   * SIGTERM/SIGINT first close the sessions with reconnect + 1012, then exit, which runs the
   * launcher's own shutdown hook (closing Vert.x). Left to that hook alone, Vert.x would close every
   * WebSocket with 1000, which tells clients not to reconnect.
   */
  @Override
  public void afterVerticleDeployed(HookContext context) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> onSignal());
      } catch (IllegalArgumentException unsupported) {
        // the platform has no such signal: the default behaviour stays
      }
    }
  }

  private void onSignal() {
    if (!stopping.compareAndSet(false, true)) {
      System.exit(EXIT_SIGNALLED_TWICE);
    }
    Thread stopper = new Thread(() -> {
      long wait = options.getCluster().getDrainMs() / 1000 + SHUTDOWN_GRACE_SECONDS;
      try {
        node.shutdown().toCompletionStage().toCompletableFuture().get(wait, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Sessions not all closed within " + wait + " s: " + e);
      }
      System.exit(0);
    }, "switchboard-shutdown");
    stopper.start();
  }
}
