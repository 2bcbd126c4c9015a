package io.switchboard.cli;

import io.switchboard.config.Setting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each key's default and description as docs/configuration.md gives them, read from the copy the
 * build puts in the jar: {@code gen-config} writes the reference's own words, so the two cannot
 * disagree. Markdown is reduced to plain text (links to their text, no bold); code spans keep
 * their backquotes.
 */
final class SettingDocs {

  /** @param defaultText the table's "default" cell, e.g. {@code `8080`} or "number of CPU cores" */
  record Doc(String defaultText, String description) {
  }

  static final String RESOURCE = "configuration.md";

  /** A row of a settings table: | `key` | `ENV` | default | description | */
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\| `[^`]+` \\| (.*?) \\| (.*?) \\|$");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\([^)]*\\)");

  private SettingDocs() {
  }

  /** @throws IllegalStateException when the jar lacks the reference or it lacks a key: a broken build */
  static Map<Setting, Doc> load() {
    String text;
    try (InputStream in = SettingDocs.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + RESOURCE + " (the build copies docs/configuration.md)");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(text);
  }

  static Map<Setting, Doc> parse(String markdown) {
    Map<Setting, Doc> docs = new EnumMap<>(Setting.class);
    Matcher row = ROW.matcher(markdown);
    while (row.find()) {
      Setting.byKey(row.group(1)).ifPresent(s -> docs.put(s, new Doc(plain(row.group(2)), plain(row.group(3)))));
    }
    for (Setting s : Setting.values()) {
      if (!docs.containsKey(s)) {
        throw new IllegalStateException(RESOURCE + " has no row for " + s.key());
      }
    }
    return docs;
  }

  static String plain(String markdown) {
    return LINK.matcher(markdown).replaceAll("$1").replace("**", "").trim();
  }
}
