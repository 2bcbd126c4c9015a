package io.switchboard.transport;

import io.switchboard.support.Http;
import io.switchboard.support.SelfSigned;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wss and https from a PEM certificate and key, made in the test; plain ws/http on that port fail. */
class TlsTest {

  @TempDir
  static Path dir;
  static SelfSigned cert;
  static TestNode node;

  @BeforeAll
  static void start() {
    cert = SelfSigned.create(dir, "sb-tls");
    node = TestNode.start(new JsonObject().put("http", new JsonObject()
        .put("tlsCertPath", cert.cert()).put("tlsKeyPath", cert.key()).put("requestHeadTimeoutMs", 3000)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(cert.cert());
  }

  @Test
  void aWssClientTrustingTheCertificateExchangesMessages() {
    WebSocketClientOptions tls = new WebSocketClientOptions().setSsl(true).setTrustOptions(trust());
    try (WsClient c = WsClient.connect(node.vertx(), tls, node.port(), "/ws", Map.of())) {
      HandshakeLimitsTest.exchange(c, "tls-a");
    }
  }

  @Test
  void httpRoutesAreServedOverHttpsOnTheSamePort() {
    HttpClient client = node.vertx().createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trust()));
    try {
      assertEquals(200, status(client, "/health/live"));
      assertEquals(200, status(client, "/metrics"));
      assertEquals(200, status(client, "/sdk/switchboard.js"));
    } finally {
      client.close();
    }
  }

  @Test
  void plainWsAndHttpAreRefusedOnTheTlsPort() {
    assertThrows(Exception.class,
        () -> WsClient.connect(node.vertx(), new WebSocketClientOptions(), node.port(), "/ws", Map.of()).close());
    assertThrows(Exception.class, () -> node.http().get("/health/live"));
    // and a client that does not trust the certificate does not get in either
    assertThrows(Exception.class, () -> WsClient.connect(node.vertx(),
        new WebSocketClientOptions().setSsl(true), node.port(), "/ws", Map.of()).close());
    // the node is unharmed
    try (WsClient c = WsClient.connect(node.vertx(), new WebSocketClientOptions().setSsl(true).setTrustOptions(trust()),
        node.port(), "/ws", Map.of())) {
      HandshakeLimitsTest.exchange(c, "tls-b");
    }
  }

  @Test
  void aClientThatNeverStartsTheTlsHandshakeIsClosedWithinTheHeadTimeout() throws Exception {
    try (Socket silent = new Socket("127.0.0.1", node.port())) {
      silent.setSoTimeout((int) HandshakeLimitsTest.DEADLINE_MS);
      HandshakeLimitsTest.assertClosedByServer(silent.getInputStream());
    }
  }

  @Test
  void filesThatAreNoCertificateStopTheNodeNamingTheKey() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
    JsonObject config = new JsonObject().put("http", new JsonObject()
        .put("tlsCertPath", junk.toString()).put("tlsKeyPath", junk.toString()));
    Exception e = assertThrows(Exception.class, () -> TestNode.start(config).close());
    assertTrue(e.getMessage().contains("http.tlsCertPath"), e.getMessage());
  }

  private static int status(HttpClient client, String path) {
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(node.port()).setURI(path);
    int status = Http.exchange(node.vertx(), client, get, null).await().status();
    assertTrue(status > 0);
    return status;
  }
}
