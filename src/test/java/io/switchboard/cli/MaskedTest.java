package io.switchboard.cli;

import io.switchboard.config.Setting;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code check-config} shows of a value: never a secret. */
class MaskedTest {

  @Test
  void theJwtSecretShowsOnlyItsLength() {
    assertEquals("*** (40 characters)", Masked.display(Setting.AUTH_JWT_SECRET, "s".repeat(40), "s".repeat(40)));
  }

  @Test
  void apiKeysShowOnlyHowManyThereAre() {
    assertEquals("2 keys ***", Masked.display(Setting.API_KEYS, List.of("k".repeat(24), "l".repeat(30)), null));
    assertEquals("1 key ***", Masked.display(Setting.API_KEYS, List.of("k".repeat(24)), null));
    assertEquals("[]", Masked.display(Setting.API_KEYS, List.of(), null));
    assertEquals("1 key ***", Masked.display(Setting.ADMIN_KEYS, List.of("a".repeat(24)), null));
  }

  @Test
  void everySecretSettingIsMasked() {
    String secret = "backend-secret-0123456789abcdefghijklmn";
    assertEquals("1 key ***", Masked.display(Setting.BACKEND_SECRETS, List.of(secret), null));
    for (Setting s : Setting.SECRETS) {
      if (s == Setting.REDIS_URL) {
        continue; // its secret is the URL's credentials: redisUrlsLoseTheirCredentialsOnly
      }
      Object value = s.type() == Setting.Type.LIST ? List.of(secret) : secret;
      String shown = Masked.display(s, value, value);
      org.junit.jupiter.api.Assertions.assertFalse(shown.contains("0123456789abcdef"), s + " shown as " + shown);
    }
  }

  @Test
  void redisUrlsLoseTheirCredentialsOnly() {
    assertEquals("[\"redis://***@10.0.0.5:6379/0\",\"rediss://***@10.0.0.6:6380\",\"redis://10.0.0.7:6379\"]",
        Masked.display(Setting.REDIS_URL, List.of("redis://:pw@10.0.0.5:6379/0", "rediss://user:pw@10.0.0.6:6380",
            "redis://10.0.0.7:6379"), null));
  }

  @Test
  void aPublicKeyShowsItsPathOrItsSize() {
    String pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
    assertEquals("/etc/switchboard/idp.pem", Masked.display(Setting.AUTH_JWT_PUBLIC_KEY, pem, "/etc/switchboard/idp.pem"));
    assertEquals("PEM text (" + pem.length() + " characters)", Masked.display(Setting.AUTH_JWT_PUBLIC_KEY, pem, pem));
  }

  @Test
  void anyOtherValueIsShownThroughTheLogRedactionNet() {
    assertEquals("0.0.0.0", Masked.display(Setting.HTTP_HOST, "0.0.0.0", "0.0.0.0"));
    assertEquals("[\"https://app.example.com\"]", Masked.display(Setting.HTTP_ALLOWED_ORIGINS, List.of("https://app.example.com"), null));
    assertEquals("65536", Masked.display(Setting.LIMITS_MAX_MESSAGE_BYTES, 65536, null));
    assertEquals(Masked.NOT_SET, Masked.display(Setting.AUTH_ISSUER, null, null));
    // a credential where none belongs (a URL with a password as the issuer, a pasted token) is still masked
    assertEquals("https://***@idp.example.com", Masked.display(Setting.AUTH_ISSUER, "https://admin:pw@idp.example.com", null));
    assertEquals("***", Masked.display(Setting.AUTH_AUDIENCE, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", null));
  }
}
