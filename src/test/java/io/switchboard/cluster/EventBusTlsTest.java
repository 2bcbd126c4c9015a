package io.switchboard.cluster;

import io.switchboard.support.RedisServer;
import io.switchboard.support.SelfSigned;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two clustered nodes whose event bus is mutual TLS: messages cross, and the bus port takes only TLS with a client certificate. */
class EventBusTlsTest {

  @TempDir
  Path dir;

  @Test
  void nodesTalkOverMutualTlsAndTheBusRefusesAClientWithoutACertificate() throws Exception {
    SelfSigned cert = SelfSigned.create(dir, "sb-bus");
    JsonObject tls = new JsonObject().put("cluster", new JsonObject()
        .put("tlsCertPath", cert.cert()).put("tlsKeyPath", cert.key()).put("tlsTrustPath", cert.cert()));
    try (TestCluster cluster = TestCluster.start(2, tls)) {
      TestNode a = cluster.node(0);
      TestNode b = cluster.node(1);
      try (WsClient alice = a.login("bus-alice"); WsClient bob = b.login("bus-bob")) {
        alice.sendTo("user:bus-bob", "over tls", null);
        assertEquals("over tls", bob.messages("user:bus-bob", 1).get(0).getString("body"));
        // it came over the bus too, not only through the shared store (which b reads when the first
        // TLS connection between the nodes takes longer than its check of a new subscription):
        // while bob is still connected, so that the bus copy still has a consumer on b
        RedisServer.await("b to receive over the event bus", WsClient.WAIT.toMillis(), () -> b.http().get("/metrics").body()
            .lines().anyMatch(l -> l.matches("vertx_eventbus_delivered_total\\{side=\"remote\"} [1-9].*")));
      }

      NodeInfo bus = ((HazelcastClusterManager) ((VertxInternal) b.vertx()).clusterManager()).getNodeInfo();
      KeyManager[] ours = new PemKeyCertOptions().setCertPath(cert.cert()).setKeyPath(cert.key())
          .getKeyManagerFactory(a.vertx()).getKeyManagers();
      try (SSLSocket withCert = socket(ours, bus)) {
        withCert.startHandshake();
        X509Certificate presented = (X509Certificate) withCert.getSession().getPeerCertificates()[0];
        assertArrayEquals(der(cert.certPath()), presented.getEncoded(), "the bus presents the configured certificate");
      }
      try (SSLSocket anonymous = socket(null, bus)) {
        // TLS 1.2, where a refused client certificate fails the handshake itself
        assertThrows(Exception.class, anonymous::startHandshake);
      }
    }
  }

  private static SSLSocket socket(KeyManager[] keys, NodeInfo bus) throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.2");
    context.init(keys, new TrustManager[] {new TrustEverything()}, null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(bus.host(), bus.port());
    socket.setSoTimeout(20_000);
    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
    return socket;
  }

  private static byte[] der(Path pem) throws Exception {
    return Base64.getMimeDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", ""));
  }

  /** The test checks the presented certificate itself, after the handshake. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
