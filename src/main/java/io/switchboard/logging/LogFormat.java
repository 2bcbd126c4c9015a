package io.switchboard.logging;

import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * How log lines are written: {@code text} for people, {@code json} (one object per line) for log
 * pipelines. Everything in the process logs through java.util.logging (Vert.x, Netty and Hazelcast
 * with {@code hazelcast.logging.type=jdk}), so one formatter on the root handlers covers every line.
 */
public enum LogFormat {
  TEXT, JSON;

  /** The name used in configuration. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return null for an unknown name */
  public static LogFormat parse(String name) {
    for (LogFormat f : values()) {
      if (f.wire().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return f;
      }
    }
    return null;
  }

  public Formatter formatter() {
    return this == JSON ? new JsonLogFormatter() : new TextLogFormatter();
  }

  /**
   * Puts this format on every handler of the root logger (by default one console handler, to
   * standard error). Process-wide: only the launcher calls it, an embedding application keeps its own.
   */
  public void install() {
    for (Handler h : Logger.getLogger("").getHandlers()) {
      h.setFormatter(formatter());
    }
  }
}
