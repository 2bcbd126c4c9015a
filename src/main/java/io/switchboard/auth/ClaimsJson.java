package io.switchboard.auth;

import io.switchboard.protocol.StreamName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The claims of DESIGN.md ("Auth and trust") read from JSON: a JWT's payload, or a connect proxy's answer. */
public final class ClaimsJson {

  private ClaimsJson() {
  }

  /**
   * @param principal the token's payload, or a connect proxy's answer with the user under {@code sub}
   * @param exp       expiry in seconds since the epoch, or null for none
   * @throws AuthException naming the claim that cannot be used
   */
  public static Claims read(JsonObject principal, Long exp) {
    Object sub = principal.getValue("sub");
    if (!(sub instanceof String) || !StreamName.isValidId((String) sub)) {
      throw new AuthException("token sub is not a usable user id");
    }
    Object broadcast = principal.getValue("broadcast", false);
    if (!(broadcast instanceof Boolean)) {
      throw new AuthException("claim broadcast must be true or false");
    }
    List<GlobPattern> send = patterns(principal, "send", Permissions.DEFAULT_SEND);
    return new Claims((String) sub, patterns(principal, "rooms", List.of()), send, (Boolean) broadcast,
        exp == null ? 0 : exp * 1000);
  }

  private static List<GlobPattern> patterns(JsonObject principal, String claim, List<String> def) {
    Object v = principal.getValue(claim);
    List<GlobPattern> out = new ArrayList<>();
    if (v == null) {
      def.forEach(p -> out.add(new GlobPattern(p)));
    } else if (v instanceof String) {
      out.add(new GlobPattern((String) v));
    } else if (v instanceof JsonArray) {
      for (Object p : (JsonArray) v) {
        if (!(p instanceof String)) {
          throw new AuthException("claim " + claim + " must be a list of patterns");
        }
        out.add(new GlobPattern((String) p));
      }
    } else {
      throw new AuthException("claim " + claim + " must be a list of patterns");
    }
    // held by the session for its lifetime: a compact immutable list (none at all when empty)
    return List.copyOf(out);
  }
}
