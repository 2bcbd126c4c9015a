package io.switchboard.cli;

import io.switchboard.config.ConfArgument;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.Setting;
import io.switchboard.config.SwitchboardOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gen-config}: every key, its default and its description, in a file the loader takes as it is. */
class GenConfigCommandTest {

  /**
   * A default cell that is one literal, e.g. {@code `8080`} or {@code `604800` (7 days)}, but not
   * {@code `5701` (cluster.xml)}: cluster.xml's values are left unset (null), so that the file rules.
   */
  private static final Pattern LITERAL_DEFAULT = Pattern.compile("`([^`]+)`(?: \\((?!cluster\\.xml).*\\))?");

  @Test
  void itsOutputLoadsAsTheDefaultsThroughTheFilePathANodeUses(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.run("gen-config");
    assertEquals(0, r.status(), r.toString());
    Path file = Files.writeString(dir.resolve("switchboard.json"), r.out());

    JsonObject json = ConfArgument.read(file.toString());
    SwitchboardOptions loaded = ConfigLoader.load(json, Map.of(), false);
    SwitchboardOptions defaults = ConfigLoader.load(null, Map.of());
    for (Setting s : Setting.values()) {
      if (s != Setting.NODE_NAME) {
        assertEquals(SettingValues.of(s, defaults), SettingValues.of(s, loaded), s.key());
      }
    }
    assertTrue(loaded.getNodeName().matches(".+-[0-9a-z]{4}"), "the host-derived default: " + loaded.getNodeName());
    // and as a production node's file, with its key from the environment; clustered too
    SwitchboardOptions production = ConfigLoader.load(json, Map.of("SB_JWT_SECRET", "x".repeat(32), "SB_HTTP_HOST", "0.0.0.0"), true);
    assertEquals("redis", production.getStore().resolvedType(true));
  }

  @Test
  void everyKeyIsThereWithItsDescriptionDefaultAndVariable() {
    String out = CliRun.run("gen-config").out();
    JsonObject json = new JsonObject(out);
    Map<Setting, SettingDocs.Doc> docs = SettingDocs.load();
    for (Setting s : Setting.values()) {
      JsonObject section = json.getJsonObject(s.section());
      assertTrue(section != null && section.containsKey(s.field()), s.key() + " in the file");
      String firstWords = docs.get(s).description().split("\\s+", 4).length > 3
          ? String.join(" ", java.util.Arrays.copyOf(docs.get(s).description().split("\\s+"), 3)) : docs.get(s).description();
      assertTrue(out.contains("// " + firstWords), s.key() + "'s description: " + firstWords);
      assertTrue(Pattern.compile("// Environment: " + s.env() + "\\. Default: [^\n]*(\n    // [^\n]*)*\n    \"" + s.field() + "\": ")
          .matcher(out).find(), s.key() + "'s variable and default above it");
      if (GenConfigCommand.DERIVED.contains(s)) {
        assertNull(section.getValue(s.field()), s.key() + " depends on the machine or other keys: left unset");
      }
    }
    for (String line : out.split("\n")) {
      assertTrue(line.length() <= GenConfigCommand.WIDTH, "a line of at most " + GenConfigCommand.WIDTH + ": " + line);
    }
  }

  /** The default the comment states (docs/configuration.md's) is the value written, and the loader's. */
  @Test
  void theStatedDefaultIsTheWrittenValue() {
    JsonObject json = new JsonObject(CliRun.run("gen-config").out());
    int literals = 0;
    for (Map.Entry<Setting, SettingDocs.Doc> e : SettingDocs.load().entrySet()) {
      Setting s = e.getKey();
      Matcher m = LITERAL_DEFAULT.matcher(e.getValue().defaultText());
      if (!m.matches() || GenConfigCommand.DERIVED.contains(s)) {
        continue;
      }
      literals++;
      Object written = json.getJsonObject(s.section()).getValue(s.field());
      Object stated = switch (s.type()) {
        case INTEGER, LONG -> Long.parseLong(m.group(1));
        case BOOLEAN -> Boolean.parseBoolean(m.group(1));
        case LIST -> m.group(1).startsWith("[") ? new JsonArray(m.group(1)) : new JsonArray().add(m.group(1));
        case STRING -> m.group(1);
      };
      Object actual = written instanceof Number n ? (Object) n.longValue() : written;
      assertEquals(stated, actual, s.key() + ": docs/configuration.md says " + e.getValue().defaultText());
    }
    assertTrue(literals > 35, "most defaults are literals: " + literals);
  }

  @Test
  void aReferenceWithoutARowForAKeyIsABrokenBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SettingDocs.parse("| `http.port` | `SB_HTTP_PORT` | `8080` | Port. |\n"));
    assertTrue(e.getMessage().contains("has no row for "), e.getMessage());
  }

  @Test
  void markdownBecomesPlainText() {
    assertEquals("See deployment.md, `0` is 503 here.",
        SettingDocs.plain("See [deployment.md](deployment.md#tls), `0` is **503** here."));
  }
}
