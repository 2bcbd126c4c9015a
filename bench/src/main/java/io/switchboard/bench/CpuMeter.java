package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU used during a phase, per role (each server process, Redis, the load generator) and in all,
 * from /proc/PID/stat: what shows whether a rate is bounded by the code under test or by the cores
 * everything shares. (The machine-wide /proc/stat was tried and left out: on this VM it reported
 * less busy time than the processes it runs.)
 */
final class CpuMeter {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux this runs on
  /**
   * Threads measured apart inside a process, by the first characters of their names (/proc's comm
   * holds the first 15 of a Java thread's name): Hazelcast's own work inside a node, the JIT
   * compilers (which show whether a phase ran warm code), and the garbage collectors. The role of a
   * group is its process's name and {@link #suffix}; a part of its process's role, so not added to
   * the total.
   */
  enum Threads {
    HAZELCAST("Hazelcast", "Hazelcast threads", "hz."),
    JIT("Jit", "JIT compiler threads", "C1 CompilerThre", "C2 CompilerThre"),
    GC("Gc", "GC threads", "GC Thread", "G1 ");

    /** Appended to "receiving" and "others" in a phase's "perConnectMs". */
    final String key;
    final String label;
    private final List<String> prefixes;

    Threads(String key, String label, String... prefixes) {
      this.key = key;
      this.label = label;
      this.prefixes = List.of(prefixes);
    }

    String suffix() {
      return "/" + name().toLowerCase(Locale.ROOT);
    }

    /** The role of these threads in the process named {@code process}. */
    String role(String process) {
      return process + suffix();
    }

    /** The group a role counts, or null for a role of whole processes. */
    static Threads of(String role) {
      for (Threads t : values()) {
        if (role.endsWith(t.suffix())) {
          return t;
        }
      }
      return null;
    }
  }

  private final Map<String, List<Long>> roles;
  private final Map<String, Long> startTicks = new LinkedHashMap<>();
  private final long startNanos;

  private CpuMeter(Map<String, List<Long>> roles) {
    this.roles = roles;
    roles.forEach((role, pids) -> startTicks.put(role, ticks(role, pids)));
    this.startNanos = System.nanoTime();
  }

  /** @param roles the processes to account for, by role (a role may span processes: the generator) */
  static CpuMeter start(Map<String, List<Long>> roles) {
    return new CpuMeter(roles);
  }

  /** Cores used by each role since the start (1.0 = one core busy all along), and by all of them. */
  JsonObject stop() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    JsonObject cores = new JsonObject();
    double accounted = 0;
    for (Map.Entry<String, List<Long>> role : roles.entrySet()) {
      double used = (ticks(role.getKey(), role.getValue()) - startTicks.get(role.getKey())) / TICKS_PER_SECOND / seconds;
      cores.put(role.getKey(), round(used));
      if (Threads.of(role.getKey()) == null) {
        accounted += used;
      }
    }
    return cores.put("all", round(accounted)).put("machineCores", Runtime.getRuntime().availableProcessors());
  }

  /** CPU-ms per second each role used since the start: over a quiet window, what it burns with nothing to do. */
  JsonObject msPerSecond() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    JsonObject rates = new JsonObject();
    roles.forEach((role, pids) -> rates.put(role, usedMs(role) / seconds));
    return rates;
  }

  /**
   * CPU-ms each role used since the start beyond its idle rate ({@code idleMsPerSecond}, from
   * {@link #msPerSecond} over a quiet window just before) for as long: what the phase's work cost.
   */
  JsonObject msBeyond(JsonObject idleMsPerSecond) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    JsonObject net = new JsonObject();
    roles.forEach((role, pids) -> net.put(role, usedMs(role) - idleMsPerSecond.getDouble(role, 0.0) * seconds));
    return net;
  }

  private double usedMs(String role) {
    return (ticks(role, roles.get(role)) - startTicks.get(role)) * 1000 / TICKS_PER_SECOND;
  }

  /** The roles of a phase: each server process by name, Redis (when given), the generator's processes. */
  static Map<String, List<Long>> roles(List<Servers.Server> servers, Servers.Server redis, List<Long> generator) {
    Map<String, List<Long>> roles = new LinkedHashMap<>();
    for (Servers.Server s : servers) {
      roles.put(s.name(), List.of(s.pid()));
    }
    if (redis != null) {
      roles.put("redis", List.of(redis.pid()));
    }
    roles.put("generator", generator);
    return roles;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Adds, for each of {@code servers}, a role for each of the {@link Threads} groups. */
  static Map<String, List<Long>> withThreadGroups(Map<String, List<Long>> roles, List<Servers.Server> servers) {
    for (Servers.Server s : servers) {
      for (Threads t : Threads.values()) {
        roles.put(t.role(s.name()), List.of(s.pid()));
      }
    }
    return roles;
  }

  private static long ticks(String role, List<Long> pids) {
    Threads group = Threads.of(role);
    long sum = 0;
    for (long pid : pids) {
      sum += group != null ? threadTicks(pid, group.prefixes) : processTicks(pid);
    }
    return sum;
  }

  /**
   * utime + stime of the threads of a process whose name starts with one of {@code prefixes}; a
   * thread gone since is not counted.
   */
  static long threadTicks(long pid, List<String> prefixes) {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm"));
          if (prefixes.stream().anyMatch(name::startsWith)) {
            sum += ticksOf(Files.readString(task.resolve("stat")));
          }
        } catch (IOException | RuntimeException threadGone) {
          // ended between the listing and the read
        }
      }
    } catch (IOException | RuntimeException processGone) {
      return 0;
    }
    return sum;
  }

  /** utime + stime of a process (all its threads); 0 once it is gone. */
  static long processTicks(long pid) {
    try {
      return ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime from a /proc stat line (a process's or a thread's). */
  private static long ticksOf(String stat) {
    // the command name may hold spaces and parentheses: fields are counted after its closing one
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
