package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the heap of an idle connection goes: the difference of two class histograms (jcmd
 * GC.class_histogram, each after a full GC) divided by the connections opened in between, grouped by
 * the library that owns each class. Arrays, strings and JDK collections belong to whichever object
 * holds them, which a histogram cannot tell: they form a group of their own.
 */
final class HeapBreakdown {

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  /** Group names in report order, with the class-name prefixes that fall in them. */
  private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("Hazelcast (cluster-wide event-bus registrations and presence entries, with backups)", List.of("com.hazelcast."));
    GROUPS.put("Vert.x event bus (the user's consumer on this node)", List.of("io.vertx.core.eventbus.", "io.vertx.core.spi.cluster.",
        "io.vertx.spi.cluster.", "io.vertx.micrometer.", "io.vertx.core.impl.utils.ConcurrentCyclicSequence"));
    GROUPS.put("Netty channel and pipeline, JDK socket", List.of("io.netty.", "sun.nio.", "java.net.", "java.io.FileDescriptor"));
    GROUPS.put("Switchboard session state", List.of("io.switchboard."));
    GROUPS.put("byte arrays, strings and JDK collections (owned by any of the above)", List.of(""));
  }

  private HeapBreakdown() {
  }

  /** Bytes per connection by group, with the largest classes of each. */
  static JsonObject of(String before, String after, long connections) {
    Map<String, long[]> b = parse(before);
    Map<String, long[]> a = parse(after);
    Map<String, Double> groupBytes = new LinkedHashMap<>();
    Map<String, List<Object[]>> groupClasses = new HashMap<>();
    GROUPS.keySet().forEach(g -> {
      groupBytes.put(g, 0.0);
      groupClasses.put(g, new ArrayList<>());
    });
    for (Map.Entry<String, long[]> e : a.entrySet()) {
      long[] was = b.getOrDefault(e.getKey(), new long[2]);
      double bytes = (e.getValue()[1] - was[1]) / (double) connections;
      double count = (e.getValue()[0] - was[0]) / (double) connections;
      String g = group(e.getKey());
      groupBytes.merge(g, bytes, Double::sum);
      groupClasses.get(g).add(new Object[] {e.getKey(), bytes, count});
    }
    JsonArray groups = new JsonArray();
    groupBytes.forEach((g, bytes) -> {
      List<Object[]> classes = groupClasses.get(g);
      classes.sort((x, y) -> Double.compare((double) y[1], (double) x[1]));
      JsonArray top = new JsonArray();
      for (Object[] c : classes.subList(0, Math.min(4, classes.size()))) {
        if ((double) c[1] >= 8) {
          top.add(new JsonObject().put("class", c[0]).put("bytesPerConnection", round((double) c[1]))
              .put("objectsPerConnection", round((double) c[2])));
        }
      }
      groups.add(new JsonObject().put("group", g).put("bytesPerConnection", round(bytes)).put("top", top));
    });
    return new JsonObject().put("groups", groups);
  }

  private static String group(String className) {
    for (Map.Entry<String, List<String>> g : GROUPS.entrySet()) {
      for (String prefix : g.getValue()) {
        if (!prefix.isEmpty() && className.startsWith(prefix)) {
          return g.getKey();
        }
      }
    }
    return new ArrayList<>(GROUPS.keySet()).get(GROUPS.size() - 1);
  }

  private static Map<String, long[]> parse(String histogram) {
    Map<String, long[]> rows = new HashMap<>();
    if (histogram == null) {
      return rows;
    }
    for (String line : histogram.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
      }
    }
    return rows;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
