package io.switchboard.cli;

import io.switchboard.config.Setting;
import io.switchboard.util.Redaction;
import io.vertx.core.json.JsonArray;

import java.util.List;

/**
 * A setting's value as {@code check-config} prints it: secrets never shown (the JWT secret and API
 * and backend keys only by length and count, Redis URLs without their credentials), a PEM key by its size, and
 * every value through {@link Redaction} as well, the net under anything a key's name does not say.
 */
final class Masked {

  static final String MASK = Redaction.MASK;
  static final String NOT_SET = "(not set)";

  private Masked() {
  }

  /**
   * @param value the loaded value ({@link SettingValues})
   * @param raw   what the file or environment said ({@code auth.jwtPublicKey} may be a path there)
   */
  static String display(Setting s, Object value, Object raw) {
    if (value == null) {
      return NOT_SET;
    }
    String text = switch (s) {
      case AUTH_JWT_SECRET -> MASK + " (" + ((String) value).length() + " characters)";
      case API_KEYS, ADMIN_KEYS, BACKEND_SECRETS -> keys((List<?>) value);
      case REDIS_URL -> list(((List<?>) value).stream().map(u -> Redaction.url((String) u)).toList());
      case AUTH_JWT_PUBLIC_KEY -> raw instanceof String path && !path.startsWith("-----BEGIN")
          ? path : "PEM text (" + ((String) value).length() + " characters)";
      // a secret added without a case of its own above is never printed
      default -> Setting.SECRETS.contains(s) ? MASK : value instanceof List<?> l ? list(l) : String.valueOf(value);
    };
    return Redaction.text(text);
  }

  private static String keys(List<?> keys) {
    return keys.isEmpty() ? "[]" : keys.size() + (keys.size() == 1 ? " key " : " keys ") + MASK;
  }

  private static String list(List<?> items) {
    return new JsonArray(List.copyOf(items)).encode();
  }
}
