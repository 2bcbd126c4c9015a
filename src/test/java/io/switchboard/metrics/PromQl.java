package io.switchboard.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana query using one) reads. A small scanner, not a
 * parser: what it skips is what is not a metric name, namely strings, label matchers ({@code {...}}),
 * ranges and subqueries ({@code [5m]}, {@code [1h:5m]}), numbers and durations (after
 * {@code offset}), Grafana variables ({@code $x}, {@code ${x}}, {@code [[x]]}), comments, function
 * names (an identifier followed by "("), the label lists of {@code by}, {@code without},
 * {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}, keywords, and the label
 * argument of Grafana's {@code label_values(metric, label)}.
 */
final class PromQl {

  private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Pattern GROUPING = Pattern.compile("(?i)(by|without)\\s*\\(");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

  private final String s;
  private int i;
  private final Set<String> names = new TreeSet<>();

  private PromQl(String expr) {
    this.s = expr;
  }

  static Set<String> metricNames(String expr) {
    PromQl scanner = new PromQl(expr);
    scanner.scan(expr.length());
    return scanner.names;
  }

  private void scan(int end) {
    while (i < end) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        skipString(c);
      } else if (c == '{') {
        skipBalanced('{', '}');
      } else if (c == '[') {
        skipBalanced('[', ']');
      } else if (c == '$') {
        skipVariable();
      } else if (c == '#') {
        while (i < end && s.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        skipNumber();
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        identifier();
      } else {
        i++;
      }
    }
  }

  private void identifier() {
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':')) {
      i++;
    }
    String word = s.substring(start, i);
    int next = skipSpaces(i);
    // a function, or an aggregation written with its grouping first: sum by (le) (...)
    boolean call = next < s.length() && s.charAt(next) == '('
        || GROUPING.matcher(s).region(next, s.length()).lookingAt();
    String lower = word.toLowerCase();
    if (LABEL_LISTS.contains(lower)) {
      if (call) {
        i = next;
        skipBalanced('(', ')');
      }
    } else if (lower.equals("label_values") && call) {
      // label_values(metric, label) or label_values(label): only a first argument of two is PromQL
      i = next + 1;
      int first = i;
      while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ')') {
        skipOne();
      }
      if (i < s.length() && s.charAt(i) == ',') {
        names.addAll(metricNames(s.substring(first, i)));
      }
      i = next;
      skipBalanced('(', ')');
    } else if (!call && !KEYWORDS.contains(lower)) {
      names.add(word);
    }
  }

  /** A number (1, 0.5, 1e-9, 0x1F, Inf is a keyword) or a duration (5m, 1h30m). */
  private void skipNumber() {
    int start = i;
    boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
    while (i < s.length()) {
      char c = s.charAt(i);
      boolean exponentSign = !hex && (c == '+' || c == '-') && i > start && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E');
      if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign) {
        i++;
      } else {
        return;
      }
    }
  }

  private void skipVariable() {
    i++;
    if (i < s.length() && s.charAt(i) == '{') {
      skipBalanced('{', '}');
    } else {
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
    }
  }

  private void skipString(char quote) {
    i++;
    while (i < s.length() && s.charAt(i) != quote) {
      i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    i++;
  }

  /** One character, or a whole string or bracketed part. */
  private void skipOne() {
    char c = s.charAt(i);
    if (c == '"' || c == '\'' || c == '`') {
      skipString(c);
    } else if (c == '{' || c == '[' || c == '(') {
      skipBalanced(c, c == '{' ? '}' : c == '[' ? ']' : ')');
    } else {
      i++;
    }
  }

  /** From an opening bracket at i to just after its match, strings inside included. */
  private void skipBalanced(char open, char close) {
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        skipString(c);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        i++;
        return;
      }
      i++;
    }
  }

  private int skipSpaces(int from) {
    int j = from;
    while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
      j++;
    }
    return j;
  }
}
