package io.switchboard.client;

import io.switchboard.support.NodeProcess;
import io.switchboard.support.TarGz;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The JavaScript client installs the ways its README says, and its Node.js example runs as written
 * (issue 14: the README said `npm install @switchboard/client`, which is on no registry, and a folder
 * install linked the folder without installing `ws`). As a user would: a node from the jar in dev
 * mode, an empty folder, {@code npm install} (the node's tarball, or a checkout with
 * {@code --install-links}; `ws` from the npm registry, through a cache of the test's own), the
 * README's Node.js code block saved as report.mjs and run with node. Skips without Node.js and npm
 * unless -Djs.required=true.
 */
class JsInstallIT {

  private static final Duration INSTALL = Duration.ofMinutes(5);
  private static final Duration EXAMPLE = Duration.ofMinutes(1);
  private static final String PACKAGE = "@switchboard/client";

  private static NodeProcess node;

  @AfterAll
  static void tearDown() throws IOException {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void thePackageANodeServesInstallsIntoAnEmptyFolderWithWsAndRunsTheReadmeExample(@TempDir Path dir) throws Exception {
    JsTools.requireNode();
    String url = "http://127.0.0.1:" + node().port() + "/sdk/switchboard-client.tgz";
    Path app = Files.createDirectory(dir.resolve("app"));

    npm(dir, app, "install", url);

    assertInstalled(app);
    JsonObject manifest = new JsonObject(Files.readString(app.resolve("package.json")));
    assertEquals(url, manifest.getJsonObject("dependencies").getString(PACKAGE), "the dependency npm recorded");
    runReadmeExample(app);
  }

  @Test
  void aCheckoutInstallsWithInstallLinksAndRunsTheReadmeExample(@TempDir Path dir) throws Exception {
    JsTools.requireNode();
    node();
    Path app = Files.createDirectory(dir.resolve("app"));

    npm(dir, app, "install", "--install-links", JsTools.JS_DIR.toString());

    assertInstalled(app);
    runReadmeExample(app);
  }

  /** The build makes the package without npm: it must hold what `npm pack` puts in it, byte for byte. */
  @Test
  void theTarballANodeServesHoldsWhatNpmPackMakesOfClientsJs(@TempDir Path dir) throws Exception {
    JsTools.requireNode();
    Path packed = Files.createDirectory(dir.resolve("packed"));

    npm(dir, JsTools.JS_DIR, "pack", "--pack-destination", packed.toString());

    Path npmTarball;
    try (Stream<Path> files = Files.list(packed)) {
      npmTarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
    }
    // the node serves it under the very name npm gives it, too
    HttpResponse<byte[]> served = node().send(HttpRequest.newBuilder(node.uri("/sdk/" + npmTarball.getFileName())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, served.statusCode(), "/sdk/" + npmTarball.getFileName());
    Map<String, byte[]> expected = new TreeMap<>(TarGz.entries(Files.readAllBytes(npmTarball)));
    Map<String, byte[]> actual = new TreeMap<>(TarGz.entries(served.body()));
    assertEquals(expected.keySet(), actual.keySet(), "entries of npm pack's tarball and of the node's");
    expected.forEach((name, content) -> assertArrayEquals(content, actual.get(name), name));
  }

  /** One node for the class, as the README's Quick start runs it: the jar, no configuration (dev mode). */
  private static synchronized NodeProcess node() throws Exception {
    if (node == null) {
      node = NodeProcess.start("js-install", List.of(), Map.of());
      node.awaitReady();
    }
    return node;
  }

  /** npm with a cache of the test's own (what is installed comes from the node and the registry). */
  private static void npm(Path dir, Path cwd, String... args) throws Exception {
    List<String> cmd = Stream.concat(Stream.of(JsTools.npm()), Stream.of(args)).toList();
    Map<String, String> env = Map.of("npm_config_cache", dir.resolve("npm-cache").toString(),
        "npm_config_audit", "false", "npm_config_fund", "false");
    JsTools.Result r = JsTools.run("npm " + args[0], cwd, cmd, env, INSTALL);
    boolean offline = r.exit() != 0 && Stream.of("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT").anyMatch(r.tail()::contains);
    JsTools.need(!offline, "the npm registry (for ws) is out of reach:\n" + r.tail());
    assertEquals(0, r.exit(), String.join(" ", cmd) + " failed:\n" + r.tail());
  }

  /** A copy of the package (not a link to a folder), with `ws`, its dependency, next to it. */
  private static void assertInstalled(Path app) throws IOException {
    Path pkg = app.resolve("node_modules").resolve(PACKAGE);
    assertTrue(Files.isDirectory(pkg), PACKAGE + " installed in " + app);
    assertFalse(Files.isSymbolicLink(pkg), PACKAGE + " is a link to a folder, whose dependencies npm does not install");
    assertEquals(new JsonObject(Files.readString(JsTools.JS_DIR.resolve("package.json"))).getString("version"),
        new JsonObject(Files.readString(pkg.resolve("package.json"))).getString("version"));
    assertTrue(Files.isRegularFile(app.resolve("node_modules/ws/package.json")), "ws installed with it");
  }

  /** The README's Node.js code block, as it stands, saved as report.mjs and run against the node. */
  private static void runReadmeExample(Path app) throws Exception {
    Files.writeString(app.resolve("report.mjs"), readmeNodeExample());
    JsTools.Result r = JsTools.run("report.mjs", app, List.of(JsTools.node(), "report.mjs"),
        Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + node.port()), EXAMPLE);
    String out = String.join("\n", r.lines());
    assertEquals(0, r.exit(), "node report.mjs failed:\n" + out + "\n--- node log ---\n" + JsClientIT.tail(node.log()));
    assertTrue(r.lines().contains("connected to " + node.name() + " as reporting-bot"), "connected, welcomed:\n" + out);
    Matcher stored = Pattern.compile("(?m)^stored as room:reports #(\\d+)$").matcher(out);
    assertTrue(stored.find(), "the send stored:\n" + out);
    assertTrue(r.lines().contains("received room:reports #" + stored.group(1) + " from reporting-bot: report ready"),
        "the message delivered back:\n" + out);
  }

  /** The first {@code ```js} block under "## In Node.js" in clients/js/README.md. */
  private static String readmeNodeExample() throws IOException {
    String readme = Files.readString(JsTools.JS_DIR.resolve("README.md"));
    Matcher m = Pattern.compile("(?s)\n## In Node\\.js\n.*?\n```js\n(.*?)\n```\n").matcher(readme);
    if (!m.find()) {
      fail("clients/js/README.md has no ```js block under \"## In Node.js\"");
    }
    return m.group(1) + "\n";
  }
}
