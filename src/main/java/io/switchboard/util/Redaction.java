package io.switchboard.util;

import java.util.regex.Pattern;

/**
 * Masks credentials in text bound for a log line or an error message: the user-info part of URLs
 * ({@code redis://:password@host}), JWTs, and the value of an {@code Authorization: Bearer} or
 * {@code X-API-Key} header. Code that logs never passes a secret on purpose; this is the net under
 * it, applied to every formatted log line, because a dependency's exception message (a Redis
 * client naming its endpoint, say) is not ours to word.
 */
public final class Redaction {

  public static final String MASK = "***";

  /** {@code scheme://user:pass@} up to the {@code @}; the scheme and host stay readable. */
  private static final Pattern URL_CREDENTIALS = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^@/\\s\"']*@");
  /** Three base64url segments, the first a JSON object ("eyJ" is the encoding of "{\""). */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Pattern CREDENTIAL_HEADER =
      Pattern.compile("(?i)((?:Bearer|X-API-Key:?|api[_-]?key[=:])\\s*)[^\\s,;\"']+");

  private Redaction() {
  }

  /** {@code redis://:secret@host:6379} becomes {@code redis://***@host:6379}. */
  public static String url(String url) {
    return url == null ? null : URL_CREDENTIALS.matcher(url).replaceAll("$1" + MASK + "@");
  }

  /** Everything this class knows to mask, in any text. */
  public static String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = url(text);
    out = JWT.matcher(out).replaceAll(MASK);
    return CREDENTIAL_HEADER.matcher(out).replaceAll("$1" + MASK);
  }
}
