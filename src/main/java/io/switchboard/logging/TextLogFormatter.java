package io.switchboard.logging;

import io.switchboard.util.Redaction;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The JDK's one-line format (its pattern from {@code java.util.logging.SimpleFormatter.format}, which
 * the launcher sets), with credentials masked.
 */
final class TextLogFormatter extends Formatter {

  private final SimpleFormatter simple = new SimpleFormatter();

  @Override
  public String format(LogRecord record) {
    return Redaction.text(simple.format(record));
  }
}
