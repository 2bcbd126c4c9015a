package io.switchboard.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** deploy/grafana/switchboard.json and its PromQL. */
final class Dashboard {

  static final Path FILE = Path.of("deploy/grafana/switchboard.json");

  private Dashboard() {
  }

  static JsonObject json() {
    try {
      return new JsonObject(Files.readString(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every "expr" of a target and every templating "query" that is PromQL, at any depth. */
  static List<String> expressions() {
    List<String> out = new ArrayList<>();
    collect(json(), out);
    return out;
  }

  private static void collect(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (v instanceof String s && (key.equals("expr") || (key.equals("query") && s.contains("(")))) {
          out.add(s);
        } else if (v instanceof JsonObject q && key.equals("query") && q.getValue("query") instanceof String s) {
          out.add(s);
        } else {
          collect(v, out);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collect(v, out));
    }
  }
}
