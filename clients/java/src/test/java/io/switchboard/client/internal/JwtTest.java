package io.switchboard.client.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JwtTest {

  private static String jwt(String payload) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  @Test
  void readsSubAndExp() {
    String t = jwt("{\"sub\":\"alice\",\"exp\":1796200000,\"rooms\":[\"*\"]}");
    assertEquals("alice", Jwt.subject(t));
    assertEquals(1796200000_000L, Jwt.expiresAtMs(t));
  }

  @Test
  void opaqueOrOddTokensHaveNoClaims() {
    assertNull(Jwt.subject("not-a-jwt"));
    assertEquals(0, Jwt.expiresAtMs("a.b"));
    assertEquals(0, Jwt.expiresAtMs(jwt("{\"sub\":\"x\",\"exp\":\"soon\"}")), "a string exp is not a time");
    assertNull(Jwt.subject(jwt("[1,2]")));
    assertNull(Jwt.subject("a.!!!.c"));
  }

  @Test
  void decodesBase64UrlLikeTheJdk() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    for (int len = 0; len <= 256; len += 17) {
      byte[] in = java.util.Arrays.copyOf(all, len);
      assertArrayEquals(in, Jwt.base64Url(Base64.getUrlEncoder().withoutPadding().encodeToString(in)), "length " + len);
      assertArrayEquals(in, Jwt.base64Url(Base64.getUrlEncoder().encodeToString(in)), "padded, length " + len);
    }
  }
}
