package io.switchboard.util;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code limit} keys let through at once; the others wait their turn, in the order they
 * came. The front door and the gateway use one per event loop to pace connects (architecture.md,
 * "Accepting, and hellos in line").
 *
 * <p>Used on one thread only. Every key that {@link #enter enters} must {@link #leave leave},
 * whether it was let through or is still waiting; leaving again, or without having entered, changes
 * nothing.
 */
public final class WaitingLine<K> {

  private final int limit;
  private final Set<K> through = new HashSet<>();
  private final Map<K, Runnable> waiting = new LinkedHashMap<>();
  /** Shared with the other loops' lines of the same kind, for a gauge read off the loops. */
  private final AtomicInteger waitingTotal;
  /** Set while waiting ones are let through: one whose start ends at once leaves from inside it. */
  private boolean starting;

  public WaitingLine(int limit) {
    this(limit, new AtomicInteger());
  }

  /** @param waitingTotal counts this line's waiting keys, with those of other lines sharing it */
  public WaitingLine(int limit, AtomicInteger waitingTotal) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.limit = limit;
    this.waitingTotal = waitingTotal;
  }

  /**
   * One loop's line when a node-wide allowance is shared evenly by {@code loops} event loops (each is
   * handed the same share of sockets); every loop lets at least one through.
   */
  public static <K> WaitingLine<K> shareOf(int nodeLimit, int loops, AtomicInteger waitingTotal) {
    return new WaitingLine<>(Math.max(1, nodeLimit / loops), waitingTotal);
  }

  /** Runs {@code start} now if fewer than the limit are through, else once enough have left. */
  public void enter(K key, Runnable start) {
    if (waiting.put(key, start) == null) {
      waitingTotal.incrementAndGet();
    }
    letThrough();
  }

  public void leave(K key) {
    if (waiting.remove(key) != null) {
      waitingTotal.decrementAndGet();
    } else if (through.remove(key)) {
      letThrough();
    }
  }

  public int through() {
    return through.size();
  }

  public int waiting() {
    return waiting.size();
  }

  private void letThrough() {
    if (starting) {
      return;
    }
    starting = true;
    try {
      while (through.size() < limit && !waiting.isEmpty()) {
        Iterator<Map.Entry<K, Runnable>> first = waiting.entrySet().iterator();
        Map.Entry<K, Runnable> next = first.next();
        first.remove();
        waitingTotal.decrementAndGet();
        through.add(next.getKey());
        next.getValue().run();
      }
    } finally {
      starting = false;
    }
  }
}
