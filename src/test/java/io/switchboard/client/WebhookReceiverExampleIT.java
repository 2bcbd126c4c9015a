package io.switchboard.client;

import io.switchboard.backend.Signature;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/webhook-receiver/receiver.mjs run with Node.js: it accepts the signed batches of a real
 * node (and logs the push it would send for message.undelivered), and refuses a request whose
 * signature is wrong. Skipped without Node.js 20+, unless -Djs.required=true.
 */
class WebhookReceiverExampleIT {

  static final Path RECEIVER = Path.of("examples", "webhook-receiver", "receiver.mjs").toAbsolutePath();
  static final String SECRET = "example-receiver-backend-secret-0123456789";
  static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private final List<String> lines = new ArrayList<>();
  private Process receiver;
  private TestNode node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.close();
    }
    if (receiver != null) {
      receiver.destroy();
      if (!receiver.waitFor(10, TimeUnit.SECONDS)) {
        receiver.destroyForcibly();
      }
    }
  }

  private boolean logged(String text) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }
  }

  private String startReceiver() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(JsTools.node(), RECEIVER.toString()).redirectErrorStream(true);
    pb.environment().put("SWITCHBOARD_BACKEND_SECRETS", SECRET);
    pb.environment().put("PORT", "0");
    receiver = pb.start();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
          System.out.println("[receiver] " + line);
        }
      } catch (IOException e) {
        // stopped
      }
    }, "webhook-receiver-output");
    pump.setDaemon(true);
    pump.start();
    RedisServer.await("the receiver listening", 30_000, () -> logged("listening on") || !receiver.isAlive());
    synchronized (lines) {
      Matcher m = LISTENING.matcher(String.join("\n", lines));
      assertTrue(m.find(), "the receiver did not start: " + lines);
      return m.group(1);
    }
  }

  @Test
  void itAcceptsANodesSignedBatchesAndRefusesABadSignature() throws Exception {
    String version = null;
    try {
      Process v = new ProcessBuilder(JsTools.node(), "--version").redirectErrorStream(true).start();
      version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      v.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // reported below
    }
    JsTools.need(version != null && version.matches("v(2\\d|[3-9]\\d)\\..*"), "Node.js 20+ not found (" + version + ")");
    String url = startReceiver();

    node = TestNode.start(new JsonObject()
        .put("backend", new JsonObject().put("secrets", new JsonArray().add(SECRET)))
        .put("webhooks", new JsonObject().put("url", url).put("maxWaitMs", 50).put("previewChars", 20)));
    try (WsClient alice = node.login("alice")) {
      alice.sendTo("user:bob", new JsonObject().put("text", "dinner at eight?"), "m-1");
    }
    RedisServer.await("the push the receiver would send", WsClient.WAIT.toMillis(),
        () -> logged("PUSH to bob: \"dinner at eight?\" from alice"));
    assertTrue(logged("EVENT presence.online {\"user\":\"alice\"}"));

    byte[] body = "{\"events\":[{\"id\":\"evt_forged\",\"type\":\"message.undelivered\",\"data\":{\"user\":\"bob\"}}]}"
        .getBytes(StandardCharsets.UTF_8);
    long now = System.currentTimeMillis() / 1000;
    HttpClient http = HttpClient.newHttpClient();
    for (String header : List.of(Signature.header(now, body, List.of("not-the-secret-but-long-enough-0123456789")),
        Signature.header(now - 3600, body, List.of(SECRET)))) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header(Signature.HEADER, header)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, r.statusCode(), header);
    }
    assertTrue(logged("REJECTED"));
    assertTrue(!logged("evt_forged") && !logged("PUSH to bob: \"New message\""), "a forged event is not handled");
  }
}
