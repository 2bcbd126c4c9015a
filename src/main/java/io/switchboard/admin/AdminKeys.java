package io.switchboard.admin;

import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The operators' keys (admin.keys): they open the admin console and every /api/v1 route. A request
 * made with one carries the key's identity, the first 8 hex digits of its SHA-256, which the audit
 * line names instead of the key. Keys are compared in constant time, like API keys.
 */
public final class AdminKeys {

  /** Where a request authenticated with an admin key keeps that key's identity. */
  public static final String IDENTITY = "sb.admin.identity";

  private final List<byte[]> keys;
  private final List<String> identities;

  public AdminKeys(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    this.identities = keys.stream().map(AdminKeys::identity).toList();
  }

  public boolean enabled() {
    return !keys.isEmpty();
  }

  /** The identity of the admin key {@code presented}, or null when it is none of them. */
  public String identify(String presented) {
    if (presented == null) {
      return null;
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    String found = null;
    for (int i = 0; i < keys.size(); i++) {
      if (MessageDigest.isEqual(keys.get(i), candidate)) {
        found = identities.get(i);
      }
    }
    return found;
  }

  /** What the log shows of a key: {@code sha256:} and the first 8 hex digits of its SHA-256. */
  public static String identity(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The identity of the admin key the request was authenticated with, or null. */
  public static String of(RoutingContext ctx) {
    return ctx.get(IDENTITY);
  }
}
