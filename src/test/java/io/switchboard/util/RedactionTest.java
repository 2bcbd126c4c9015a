package io.switchboard.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactionTest {

  @Test
  void urlCredentialsAreMaskedHostAndPortKept() {
    assertEquals("redis://***@10.0.0.5:6379", Redaction.url("redis://:s3cret@10.0.0.5:6379"));
    assertEquals("rediss://***@db:6380/0", Redaction.url("rediss://app:s3cret@db:6380/0"));
    assertEquals("redis://db:6379", Redaction.url("redis://db:6379"));
  }

  @Test
  void jwtsAndCredentialHeadersAreMaskedInAnyText() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";
    assertEquals("hello with *** refused", Redaction.text("hello with " + jwt + " refused"));
    assertEquals("Authorization: Bearer ***", Redaction.text("Authorization: Bearer abcdefghijklmnopqrstuvwxyz"));
    assertEquals("X-API-Key: ***, next", Redaction.text("X-API-Key: abcdefghijklmnopqrstuvwxyz, next"));
    assertEquals("failed: Connection refused: redis://***@h:1",
        Redaction.text("failed: Connection refused: redis://:pw@h:1"));
    assertEquals("nothing to hide", Redaction.text("nothing to hide"));
  }
}
