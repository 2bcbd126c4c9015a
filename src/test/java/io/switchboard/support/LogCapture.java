package io.switchboard.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages one class logs (java.util.logging, as Vert.x's logger writes them) while it is open. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> withStackTraces = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      messages.add(r.getMessage());
      if (r.getThrown() != null) {
        withStackTraces.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + ": " + r.getThrown());
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  public LogCapture(Class<?> source) {
    this(source.getName());
  }

  /** @param loggerName a logger's name; "" for the root, which every logger passes its records to */
  public LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(handler);
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** The records logged with an exception attached, one line each. */
  public List<String> withStackTraces() {
    return List.copyOf(withStackTraces);
  }

  /** How many messages so far contain {@code text}. */
  public long count(String text) {
    return messages.stream().filter(m -> m.contains(text)).count();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
