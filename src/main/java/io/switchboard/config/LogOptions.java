package io.switchboard.config;

import io.switchboard.logging.LogFormat;

/** How the launcher writes log lines. */
public class LogOptions {

  public static final LogFormat DEFAULT_FORMAT = LogFormat.TEXT;

  private LogFormat format = DEFAULT_FORMAT;

  static LogOptions read(ConfigReader r) {
    LogOptions o = new LogOptions();
    String name = r.string(Setting.LOG_FORMAT, DEFAULT_FORMAT.wire());
    o.format = LogFormat.parse(name);
    if (o.format == null) {
      throw r.fail(Setting.LOG_FORMAT, "must be text or json, got \"" + name + "\"");
    }
    return o;
  }

  /** text (one line per event, for people) or json (one object per line, for log pipelines). */
  public LogFormat getFormat() {
    return format;
  }

  public LogOptions setFormat(LogFormat format) {
    this.format = format;
    return this;
  }
}
