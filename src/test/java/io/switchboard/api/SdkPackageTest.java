package io.switchboard.api;

import io.switchboard.support.SharedNode;
import io.switchboard.support.TarGz;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every node serves the JavaScript client as the package `npm install` takes (issue 14: it was on
 * no registry, and a folder install did not install `ws`): the tarball Maven builds from clients/js,
 * whose entries are exactly what package.json's "files" names, plus package.json, under package/.
 * JsInstallIT installs it with npm and compares it with `npm pack`.
 */
class SdkPackageTest {

  static final Path JS_DIR = Path.of("clients", "js");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void aProductionNodeServesTheClientPackageUnderAStableAndAVersionedNameAsGzip() throws Exception {
    HttpResponse<byte[]> stable = get("/sdk/switchboard-client.tgz");
    assertEquals(200, stable.statusCode());
    assertEquals("application/gzip", stable.headers().firstValue("content-type").orElse(null));
    assertEquals("no-cache", stable.headers().firstValue("cache-control").orElse(null), "revalidated after an upgrade");

    String version = packageJson().getString("version");
    HttpResponse<byte[]> versioned = get("/sdk/switchboard-client-" + version + ".tgz");
    assertEquals(200, versioned.statusCode(), "the name npm pack gives it, with package.json's version " + version);
    assertArrayEquals(stable.body(), versioned.body());
    assertEquals(404, get("/sdk/switchboard-client-0.0.0-none.tgz").statusCode());

    HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NODE.node().port()
        + "/sdk/switchboard-client.tgz")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode(), "curl -I on the package's URL");
    assertEquals("application/gzip", head.headers().firstValue("content-type").orElse(null));
    assertEquals(String.valueOf(stable.body().length), head.headers().firstValue("content-length").orElse(null));
  }

  @Test
  void thePackageHoldsTheFilesPackageJsonListsAsTheyAreInTheRepository() throws Exception {
    Map<String, byte[]> expected = new TreeMap<>();
    expected.put("package/package.json", Files.readAllBytes(JS_DIR.resolve("package.json")));
    for (Object file : packageJson().getJsonArray("files")) {
      expected.put("package/" + file, Files.readAllBytes(JS_DIR.resolve((String) file)));
    }
    Map<String, byte[]> actual = new TreeMap<>(TarGz.entries(get("/sdk/switchboard-client.tgz").body()));

    assertEquals(expected.keySet(), actual.keySet(), "the package's entries");
    expected.forEach((name, content) -> assertArrayEquals(content, actual.get(name), name + " differs from the repository's"));
  }

  static JsonObject packageJson() throws Exception {
    return new JsonObject(Files.readString(JS_DIR.resolve("package.json")));
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NODE.node().port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
