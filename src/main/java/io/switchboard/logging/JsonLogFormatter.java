package io.switchboard.logging;

import io.switchboard.util.Redaction;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, and {@code exception} (the stack trace as one string) when the
 * record has one. Newlines inside a message are escaped, so a multi-line banner stays one line.
 */
final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    JsonObject line = new JsonObject()
        .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
        .put("level", record.getLevel().getName())
        .put("logger", record.getLoggerName() == null ? "" : record.getLoggerName())
        .put("thread", thread(record))
        .put("message", Redaction.text(formatMessage(record)));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("exception", Redaction.text(trace.toString()));
    }
    return line.encode() + System.lineSeparator();
  }

  /** Console handlers format on the logging thread; a handler that formats later only knows the id. */
  private static String thread(LogRecord record) {
    Thread current = Thread.currentThread();
    return current.getId() == record.getLongThreadID() ? current.getName() : "thread-" + record.getLongThreadID();
  }
}
