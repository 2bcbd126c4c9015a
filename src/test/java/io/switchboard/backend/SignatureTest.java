package io.switchboard.backend;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureTest {

  static final String OLD = "old-secret-0123456789abcdefghijklmnop";
  static final String NEW = "new-secret-0123456789abcdefghijklmnop";
  static final byte[] BODY = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theDocumentedRecipeGivesTheHeadersSignature() throws Exception {
    // HMAC-SHA256(secret, "1733200000." + body), hex: what docs/webhooks.md tells a backend to compute
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(NEW.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = java.util.HexFormat.of().formatHex(mac.doFinal(("1733200000." + new String(BODY, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8)));
    assertEquals("t=1733200000,v1=" + expected, Signature.header(1733200000, BODY, List.of(NEW)));
  }

  @Test
  void duringARotationEitherSecretVerifies() {
    String header = Signature.header(1000, BODY, List.of(NEW, OLD));
    assertTrue(Signature.verify(header, BODY, NEW, 1000, 300));
    assertTrue(Signature.verify(header, BODY, OLD, 1000, 300));
    assertFalse(Signature.verify(header, BODY, "another-secret-0123456789abcdefghijkl", 1000, 300));
  }

  @Test
  void aChangedBodyOrTimestampOrAStaleRequestFails() {
    String header = Signature.header(1000, BODY, List.of(NEW));
    assertFalse(Signature.verify(header, "{\"events\":[1]}".getBytes(StandardCharsets.UTF_8), NEW, 1000, 300));
    assertFalse(Signature.verify(header.replace("t=1000", "t=1001"), BODY, NEW, 1000, 300));
    assertFalse(Signature.verify(header, BODY, NEW, 1301, 300), "replayed after the tolerance");
    assertTrue(Signature.verify(header, BODY, NEW, 1300, 300));
    assertFalse(Signature.verify(null, BODY, NEW, 1000, 300));
    assertFalse(Signature.verify("v1=abc", BODY, NEW, 1000, 300), "no timestamp");
  }
}
