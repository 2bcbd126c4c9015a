package io.switchboard.checker;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.NodeParts;
import io.switchboard.Nodes;
import io.switchboard.SwitchboardVerticle;
import io.switchboard.cluster.SwitchboardClusterManager;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.store.redis.RedisStore;
import io.switchboard.support.HazelcastBytes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clustered node built the way the launcher builds one, in a process of its own (so that kill -9
 * and SIGSTOP hit a whole JVM), with parts the checker controls over stdin: the clock the stores
 * read, the event-bus transport, the presence registry, and serializers that count the bytes
 * Hazelcast moves. One command per line, {@code <id> <command> <args>};
 * each is answered on stdout with {@code @@checker <id> ok [detail]} or {@code @@checker <id> err <why>}
 * once it is in force, so the checker never races its own fault.
 *
 * <pre>
 *   clock &lt;offsetMs&gt;                       every store rule reads system time + offset (never moves back)
 *   drop publish &lt;stream|control&gt; &lt;n&gt;     the next n deliveries this node publishes there vanish
 *   drop deliver &lt;stream|control&gt; &lt;n&gt;     the next n deliveries reaching this node there vanish
 *   fail-subscribe &lt;stream&gt; &lt;n&gt;           the next n registrations of the stream on this node fail
 *   clear                                   disarms every pending fault
 *   stats                                   what was dropped so far
 *   slow-read &lt;ms&gt;                           every log read of the store answers that much later (0: off)
 *   held-watch, held                        sample the feeds' buffers of early deliveries; the largest seen
 *   presence dup-open|dup-close &lt;n&gt;        the next n session opens (closes) run twice, the second after the first
 *   presence fail-close &lt;n&gt;                 the next n session closes fail without reaching the registry
 *   hz-bytes                                bytes Hazelcast (de)serialized in this process: all, and Java maps and lists
 * </pre>
 *
 * Arguments: the configuration file (JSON, as for -conf) and the initial clock offset. The process
 * ends when stdin closes, so a checker that dies leaves no node behind.
 */
public final class CheckerNode {

  static final String REPLY = "@@checker ";

  private CheckerNode() {
  }

  public static void main(String[] args) throws Exception {
    JsonObject config = new JsonObject(Files.readString(Path.of(args[0])));
    ShiftedClock clock = new ShiftedClock(args.length > 1 ? Long.parseLong(args[1]) : 0);
    SwitchboardOptions options = ConfigLoader.load(config, System.getenv());
    options.getLog().getFormat().install();
    AtomicReference<FaultBus> bus = new AtomicReference<>();
    AtomicReference<FaultPresence> presence = new AtomicReference<>();
    Probes probes = new Probes();
    PrometheusMeterRegistry registry = Nodes.newRegistry();
    com.hazelcast.config.Config hazelcast = io.switchboard.cluster.HazelcastSetup.config(options.getCluster());
    // halves of a split cluster look for each other every 5 s instead of 10: a freeze costs a run less waiting
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // what a room's presence costs has no outside symptom: counted where Hazelcast (de)serializes it
    HazelcastBytes.install(hazelcast);
    HazelcastClusterManager cluster = new SwitchboardClusterManager(hazelcast);
    Vertx vertx = Nodes.vertxBuilder(new VertxOptions(), options, registry, cluster).buildClustered().await();
    // the store the node would build (Redis, the moved clock), with reads the checker can slow down
    NodeParts parts = NodeParts.defaults().withClock(clock)
        .withStore(probes.slowable(vertx, new RedisStore(vertx, options.getStore(), clock)))
        .withBus(inner -> {
          FaultBus b = new FaultBus(inner);
          bus.set(b);
          return b;
        })
        .withPresence(inner -> {
          FaultPresence p = new FaultPresence(inner);
          presence.set(p);
          return p;
        });
    SwitchboardVerticle node = new SwitchboardVerticle(options, registry, cluster, parts);
    vertx.deployVerticle(node).await();
    probes.node(node);
    System.out.println(REPLY + "ready " + node.port());
    System.out.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] w = line.trim().split("\\s+");
      if (w.length < 2) {
        continue;
      }
      String answer;
      try {
        answer = "ok " + command(w, clock, bus.get(), presence.get(), probes);
      } catch (RuntimeException e) {
        answer = "err " + e;
      }
      System.out.println(REPLY + w[0] + " " + answer);
      System.out.flush();
    }
    Runtime.getRuntime().halt(0);
  }

  private static String command(String[] w, ShiftedClock clock, FaultBus bus, FaultPresence presence, Probes probes) {
    switch (w[1]) {
      case "clock" -> {
        clock.setOffset(Long.parseLong(w[2]));
        return String.valueOf(clock.offset());
      }
      case "drop" -> {
        int n = Integer.parseInt(w[4]);
        if (w[2].equals("publish")) {
          bus.dropPublished(w[3], n);
        } else if (w[2].equals("deliver")) {
          bus.dropDelivered(w[3], n);
        } else {
          throw new IllegalArgumentException("drop publish|deliver, not " + w[2]);
        }
        return bus.stats();
      }
      case "fail-subscribe" -> {
        bus.failSubscribe(w[2], Integer.parseInt(w[3]));
        return bus.stats();
      }
      case "clear" -> {
        bus.clear();
        presence.clear();
        probes.slowReads(0);
        return bus.stats() + " " + presence.stats();
      }
      case "stats" -> {
        return bus.stats() + " " + presence.stats();
      }
      case "presence" -> {
        int n = Integer.parseInt(w[3]);
        switch (w[2]) {
          case "dup-open" -> presence.dupOpen(n);
          case "dup-close" -> presence.dupClose(n);
          case "fail-close" -> presence.failClose(n);
          default -> throw new IllegalArgumentException("presence dup-open|dup-close|fail-close, not " + w[2]);
        }
        return presence.stats();
      }
      case "hz-bytes" -> {
        return "all=" + HazelcastBytes.all() + " collections=" + HazelcastBytes.collections();
      }
      case "slow-read" -> {
        probes.slowReads(Long.parseLong(w[2]));
        return "reads delayed " + w[2] + " ms";
      }
      case "held-watch" -> {
        return probes.watchHeld();
      }
      case "held" -> {
        return probes.held();
      }
      default -> throw new IllegalArgumentException("unknown command " + w[1]);
    }
  }
}
