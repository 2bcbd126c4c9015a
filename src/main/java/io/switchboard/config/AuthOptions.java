package io.switchboard.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/** How tokens are verified, and whether the node runs in dev mode. */
public class AuthOptions {

  public static final int DEFAULT_LEEWAY_SECONDS = 5;
  public static final int DEFAULT_DEV_TOKEN_TTL_SECONDS = 86_400;
  /** Shorter HMAC secrets can be brute-forced offline from a single captured token. */
  public static final int MIN_SECRET_LENGTH = 32;

  private static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");
  private static final Set<String> RSA = Set.of("RS256", "RS384", "RS512");
  private static final Set<String> EC = Set.of("ES256", "ES384", "ES512");

  private boolean devMode;
  private String jwtSecret;
  private String jwtPublicKeyPem;
  private String jwtAlgorithm;
  private String issuer;
  private String audience;
  private int leewaySeconds = DEFAULT_LEEWAY_SECONDS;
  private int devTokenTtlSeconds = DEFAULT_DEV_TOKEN_TTL_SECONDS;

  /** @param connectProxy whether a connect proxy is configured: it can stand in for a token key */
  static AuthOptions read(ConfigReader r, boolean connectProxy) {
    AuthOptions o = new AuthOptions();
    o.jwtSecret = blankToNull(r.string(Setting.AUTH_JWT_SECRET, null));
    String key = blankToNull(r.string(Setting.AUTH_JWT_PUBLIC_KEY, null));
    o.issuer = blankToNull(r.string(Setting.AUTH_ISSUER, null));
    o.audience = blankToNull(r.string(Setting.AUTH_AUDIENCE, null));
    o.leewaySeconds = r.integer(Setting.AUTH_LEEWAY_SECONDS, DEFAULT_LEEWAY_SECONDS, 0, 3600);
    o.devTokenTtlSeconds = r.integer(Setting.AUTH_DEV_TOKEN_TTL_SECONDS, DEFAULT_DEV_TOKEN_TTL_SECONDS, 1, 31_536_000);
    o.devMode = r.bool(Setting.AUTH_DEV_MODE, o.jwtSecret == null && key == null && !connectProxy);

    if (o.jwtSecret != null && key != null) {
      throw r.fail(Setting.AUTH_JWT_PUBLIC_KEY, "set either auth.jwtSecret or auth.jwtPublicKey, not both");
    }
    if (o.jwtSecret != null && o.jwtSecret.length() < MIN_SECRET_LENGTH) {
      throw r.fail(Setting.AUTH_JWT_SECRET, "must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    if (key != null) {
      if (o.devMode) {
        throw r.fail(Setting.AUTH_DEV_MODE, "dev mode signs its own tokens and cannot be combined with auth.jwtPublicKey");
      }
      o.jwtPublicKeyPem = key.startsWith("-----BEGIN") ? key : readPemFile(r, key);
    }
    if (!o.devMode && o.jwtSecret == null && o.jwtPublicKeyPem == null && !connectProxy) {
      throw r.fail(Setting.AUTH_JWT_SECRET, "required outside dev mode: set auth.jwtSecret (HS256) or "
          + "auth.jwtPublicKey (RS256/ES256 PEM), or proxy.connectUrl to let your backend authenticate clients");
    }
    String derived = o.jwtPublicKeyPem != null ? algorithmOf(r, o.jwtPublicKeyPem) : "HS256";
    o.jwtAlgorithm = r.string(Setting.AUTH_JWT_ALGORITHM, derived).toUpperCase();
    boolean fits = o.jwtPublicKeyPem == null ? HMAC.contains(o.jwtAlgorithm)
        : (derived.startsWith("RS") ? RSA : EC).contains(o.jwtAlgorithm);
    if (!fits) {
      throw r.fail(Setting.AUTH_JWT_ALGORITHM, o.jwtAlgorithm + " does not match the configured "
          + (o.jwtPublicKeyPem == null ? "HMAC secret (use HS256, HS384 or HS512)" : derived.substring(0, 2) + " key"));
    }
    return o;
  }

  private static String readPemFile(ConfigReader r, String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw r.fail(Setting.AUTH_JWT_PUBLIC_KEY, "is neither PEM text nor a readable PEM file: " + path);
    }
  }

  private static String algorithmOf(ConfigReader r, String pem) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    } catch (IllegalArgumentException e) {
      throw r.fail(Setting.AUTH_JWT_PUBLIC_KEY, "is not valid PEM (base64 body does not decode)");
    }
    for (String[] kind : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(kind[0]).generatePublic(new X509EncodedKeySpec(der));
        return kind[1];
      } catch (Exception ignored) {
        // try the next key type
      }
    }
    throw r.fail(Setting.AUTH_JWT_PUBLIC_KEY, "is not a PEM-encoded RSA or EC public key (\"-----BEGIN PUBLIC KEY-----\")");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public boolean isDevMode() {
    return devMode;
  }

  public AuthOptions setDevMode(boolean devMode) {
    this.devMode = devMode;
    return this;
  }

  public String getJwtSecret() {
    return jwtSecret;
  }

  public AuthOptions setJwtSecret(String jwtSecret) {
    this.jwtSecret = jwtSecret;
    return this;
  }

  /** PEM text of the verification key (read from the file when the config named a path). */
  public String getJwtPublicKeyPem() {
    return jwtPublicKeyPem;
  }

  public String getJwtAlgorithm() {
    return jwtAlgorithm;
  }

  public String getIssuer() {
    return issuer;
  }

  public String getAudience() {
    return audience;
  }

  public int getLeewaySeconds() {
    return leewaySeconds;
  }

  public int getDevTokenTtlSeconds() {
    return devTokenTtlSeconds;
  }

  /** Whether the node verifies tokens itself: a key is configured, or dev mode signs its own. */
  public boolean hasTokenKey() {
    return devMode || jwtSecret != null || jwtPublicKeyPem != null;
  }
}
