package io.switchboard.cli;

import io.switchboard.BuildInfo;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.Setting;
import io.switchboard.config.SwitchboardOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gen-config}: a configuration file with every key, set to its default, under the reference's
 * description of it. It is JSON with {@code //} comments, which the node's JSON reader (Jackson, as
 * Vert.x configures it) skips, so {@code -conf} and {@code check-config} take the file as it is
 * (docs/decisions.md, "Configuration").
 */
final class GenConfigCommand implements Command {

  /**
   * Written as null (unset): defaults that depend on the machine (host name, cores, heap), on other
   * keys (dev mode, the demo page, the algorithm of a public key) or on cluster.xml. A value written
   * out would pin them.
   */
  static final Set<Setting> DERIVED = EnumSet.of(Setting.NODE_NAME, Setting.HTTP_INSTANCES, Setting.HTTP_DEMO_PAGE,
      Setting.AUTH_DEV_MODE, Setting.AUTH_JWT_ALGORITHM, Setting.STORE_MEMORY_MAX_BYTES, Setting.CLUSTER_MEMBERS);
  static final int WIDTH = 100;
  private static final String INDENT = "    ";

  private static final String HEADER = """
      // Switchboard %s: every configuration key, set to its default, with what it does.
      // Written by `java -jar switchboard.jar gen-config`. Edit it, check it with
      // `java -jar switchboard.jar check-config -conf FILE`, then start nodes with `-conf FILE`.
      //
      // JSON with comments: the node's JSON reader skips // and /* */ comments (not #).
      // null means not set: the default in the comment applies (it depends on the machine, on
      // other keys or on cluster.xml, or there is none). A key left out is the same as null.
      // Each key's environment variable (named in its comment) overrides the file.
      // Production needs a key: auth.jwtSecret (better given as SB_JWT_SECRET than written here)
      // or auth.jwtPublicKey; then http.host "0.0.0.0" and store.type "redis" (or -cluster).
      // Reference: docs/configuration.md.
      """;

  @Override
  public int run(Invocation invocation) {
    invocation.options(new Options());
    invocation.out().print(render());
    return 0;
  }

  static String render() {
    Map<Setting, SettingDocs.Doc> docs = SettingDocs.load();
    SwitchboardOptions defaults = ConfigLoader.load(null, Map.of());
    Map<String, List<Setting>> sections = SettingValues.bySection();
    StringBuilder out = new StringBuilder(String.format(HEADER, BuildInfo.version()));
    out.append("{\n");
    int sectionsLeft = sections.size();
    for (Map.Entry<String, List<Setting>> section : sections.entrySet()) {
      out.append("  ").append(Json.encode(section.getKey())).append(": {\n");
      List<Setting> keys = section.getValue();
      for (int i = 0; i < keys.size(); i++) {
        Setting s = keys.get(i);
        SettingDocs.Doc doc = docs.get(s);
        comment(out, doc.description());
        comment(out, "Environment: " + s.env() + ". Default: " + doc.defaultText() + ".");
        Object value = DERIVED.contains(s) ? null : SettingValues.of(s, defaults);
        String key = INDENT + Json.encode(s.field()) + ": ";
        out.append(key).append(json(value, key.length()))
            .append(i < keys.size() - 1 ? ",\n\n" : "\n");
      }
      out.append(--sectionsLeft > 0 ? "  },\n" : "  }\n");
    }
    return out.append("}\n").toString();
  }

  /** The value as JSON; a list too long for one line gets one element per line. */
  private static String json(Object value, int column) {
    if (!(value instanceof List<?> list)) {
      return Json.encode(value);
    }
    String oneLine = new JsonArray(List.copyOf(list)).encode();
    if (column + oneLine.length() + 1 <= WIDTH) {
      return oneLine;
    }
    StringBuilder out = new StringBuilder("[\n");
    for (int i = 0; i < list.size(); i++) {
      out.append(INDENT).append("  ").append(Json.encode(list.get(i))).append(i < list.size() - 1 ? ",\n" : "\n");
    }
    return out.append(INDENT).append(']').toString();
  }

  /** The text as // lines of at most {@link #WIDTH} characters (a longer word gets a line of its own). */
  static void comment(StringBuilder out, String text) {
    String prefix = INDENT + "// ";
    StringBuilder line = new StringBuilder(prefix);
    for (String word : text.split("\\s+")) {
      if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line.setLength(0);
        line.append(prefix);
      }
      if (line.length() > prefix.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.append(line).append('\n');
  }
}
