package io.switchboard.cli;

import io.switchboard.config.AuthOptions;
import io.switchboard.config.Setting;
import io.switchboard.protocol.StreamName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gen-token --user U [--rooms a,b] [--send p,q] [--broadcast] [--ttl 1h] [-conf FILE]}: a token
 * signed with the configured HMAC secret, for trying a deployment before its backend issues tokens.
 * Nodes configured with a public key hold no key to sign with: the issuer's private key signs.
 */
final class GenTokenCommand implements Command {

  static final Options OPTIONS = new Options()
      .value("user", "--user", "-user", "-u")
      .value("rooms", "--rooms")
      .value("send", "--send")
      .flag("broadcast", "--broadcast")
      .value("ttl", "--ttl")
      .value("conf", "-conf", "--conf");

  static final long DEFAULT_TTL_SECONDS = 3600;
  /** A year, as for dev tokens: a test token is not meant to outlive its test. */
  static final long MAX_TTL_SECONDS = 31_536_000;
  private static final Pattern TTL = Pattern.compile("(\\d{1,9})([smhd]?)");

  @Override
  public int run(Invocation invocation) {
    Options.Parsed own = invocation.options(OPTIONS);
    String user = own.get("user");
    if (user == null) {
      throw CliException.usage("gen-token needs --user");
    }
    if (!StreamName.isValidId(user)) {
      throw CliException.usage("--user \"" + user + "\" is not a user id (1-" + StreamName.MAX_ID_LENGTH
          + " of A-Z a-z 0-9 _ . : @ | + = -)");
    }
    long ttl = ttlSeconds(own.get("ttl"));
    AuthOptions auth = ConfigSource.load(invocation.nodeOption(own, "conf"), invocation.env(), false).options().getAuth();
    String secret = signingSecret(auth);

    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("sub", user);
    patterns(own.get("rooms")).ifPresent(p -> claims.put("rooms", p));
    patterns(own.get("send")).ifPresent(p -> claims.put("send", p));
    if (own.has("broadcast")) {
      claims.put("broadcast", true);
    }
    if (auth.getIssuer() != null) {
      claims.put("iss", auth.getIssuer());
    }
    if (auth.getAudience() != null) {
      claims.put("aud", auth.getAudience());
    }
    claims.put("iat", now).put("exp", now + ttl);

    invocation.out().println(HmacJwt.sign(claims, auth.getJwtAlgorithm(), secret));
    invocation.err().println("gen-token: " + auth.getJwtAlgorithm() + " token for " + user + ", rooms "
        + claims.getValue("rooms", "none") + ", " + (own.has("broadcast") ? "may" : "may not") + " broadcast, expires "
        + Instant.ofEpochSecond(now + ttl) + " (in " + ttl + " s)");
    return 0;
  }

  private static String signingSecret(AuthOptions auth) {
    if (auth.getJwtPublicKeyPem() != null) {
      throw CliException.config("cannot sign: " + Setting.AUTH_JWT_PUBLIC_KEY.key() + " is set, and nodes verify "
          + auth.getJwtAlgorithm() + " tokens with that public key; the private key that signs them is your token "
          + "issuer's, not the node's. Sign test tokens where that key is.");
    }
    if (auth.getJwtSecret() == null) {
      throw CliException.config("no key to sign with: set " + Setting.AUTH_JWT_SECRET.key() + " (" + Setting.AUTH_JWT_SECRET.env()
          + ", or in the -conf file), the secret the nodes verify tokens with. A node in dev mode without one "
          + "hands out its own tokens: GET /dev/token?user=NAME");
    }
    return auth.getJwtSecret();
  }

  /** {@code 90}, {@code 90s}, {@code 15m}, {@code 1h} or {@code 7d}; an hour when not given. */
  static long ttlSeconds(String text) {
    if (text == null) {
      return DEFAULT_TTL_SECONDS;
    }
    Matcher m = TTL.matcher(text.trim());
    long seconds = -1;
    if (m.matches()) {
      long unit = switch (m.group(2)) {
        case "m" -> 60;
        case "h" -> 3600;
        case "d" -> 86_400;
        default -> 1;
      };
      seconds = Long.parseLong(m.group(1)) * unit;
    }
    if (seconds < 1 || seconds > MAX_TTL_SECONDS) {
      throw CliException.usage("--ttl \"" + text + "\": give 1s to 365d, as seconds or with a unit: 90, 90s, 15m, 1h, 7d");
    }
    return seconds;
  }

  private static Optional<JsonArray> patterns(String list) {
    if (list == null) {
      return Optional.empty();
    }
    List<String> items = Arrays.stream(list.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    return Optional.of(new JsonArray(List.copyOf(items)));
  }
}
