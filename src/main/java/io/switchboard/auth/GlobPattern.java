package io.switchboard.auth;

/** A claim pattern: {@code *} matches any run of characters, {@code ?} exactly one, anything else itself. */
public final class GlobPattern {

  private final String pattern;

  public GlobPattern(String pattern) {
    this.pattern = pattern;
  }

  public boolean matches(String text) {
    return match(0, 0, text);
  }

  /** Iterative wildcard match with single-star backtracking: linear in practice, no regex compilation. */
  private boolean match(int p, int t, String text) {
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starText = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
