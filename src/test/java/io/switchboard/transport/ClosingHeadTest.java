package io.switchboard.transport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClosingHeadTest {

  @Test
  void connectionAndKeepAliveHeadersAreReplacedByConnectionClose() {
    String head = "POST /api/v1/x HTTP/1.1\r\nHost: a\r\nconnection: Keep-Alive, TE\r\nKEEP-ALIVE: timeout=5\r\n"
        + "Content-Length: 2\r\nX-Connection-Id: 7\r\n\r\n{}";
    assertEquals("POST /api/v1/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Connection-Id: 7\r\nConnection: close\r\n\r\n",
        closing(head));
  }

  @Test
  void anH2cUpgradeOfferIsDroppedWithTheHeadersItNames() {
    // what java.net.http.HttpClient sends by default to an http:// URI
    String head = "GET /health/ready HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nContent-Length: 0\r\n"
        + "Host: 127.0.0.1:8080\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\nUpgrade: h2c\r\n\r\n";
    assertEquals("GET /health/ready HTTP/1.1\r\nContent-Length: 0\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n",
        closing(head));
  }

  @Test
  void aHeadWithoutConnectionHeaderGetsOne() {
    String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    assertEquals("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        closing(head));
  }

  /** What the front door relays for a request that starts with this head. */
  private static String closing(String request) {
    byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
    return new String(RequestHead.parse(bytes, request.indexOf("\r\n\r\n")).closing(), StandardCharsets.ISO_8859_1);
  }
}
