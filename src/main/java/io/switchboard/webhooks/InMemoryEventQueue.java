package io.switchboard.webhooks;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue of a standalone node on the in-memory store: what it holds goes with the process, like
 * everything that store holds. Same contract as the Redis queue (EventQueueContract). It has no
 * outbox: the in-memory store notes nothing, since an outbox in this process would die with it.
 */
public final class InMemoryEventQueue implements EventQueue {

  private final int cap;
  private final int deadLetterCap;
  private final Clock clock;
  private final Map<String, String> queue = new LinkedHashMap<>();
  private final Deque<DeadLetter> dead = new ArrayDeque<>();
  private String leader;
  private long leaseEnds;
  private long lastMs;
  private long lastN;

  public InMemoryEventQueue(int cap, int deadLetterCap, Clock clock) {
    this.cap = cap;
    this.deadLetterCap = deadLetterCap;
    this.clock = clock;
  }

  @Override
  public Future<List<Note>> unsettled(long olderThanMs, int max) {
    return Future.succeededFuture(List.of());
  }

  @Override
  public synchronized Future<Integer> add(List<String> events, List<Note> settled) {
    int moved = 0;
    for (String event : events) {
      if (queue.size() >= cap) {
        Iterator<Map.Entry<String, String>> oldest = queue.entrySet().iterator();
        Map.Entry<String, String> e = oldest.next();
        oldest.remove();
        bury(e.getValue(), QUEUE_FULL);
        moved++;
      }
      queue.put(nextId(), event);
    }
    return Future.succeededFuture(moved);
  }

  @Override
  public synchronized Future<Boolean> lead(String consumer, long leaseMs) {
    long now = clock.millis();
    if (leader == null || leader.equals(consumer) || now >= leaseEnds) {
      leader = consumer;
      leaseEnds = now + leaseMs;
      return Future.succeededFuture(true);
    }
    return Future.succeededFuture(false);
  }

  @Override
  public synchronized Future<Void> resign(String consumer) {
    if (consumer.equals(leader)) {
      leader = null;
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Entry>> take(String consumer, String after, int max) {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, String> e : queue.entrySet()) {
      if (out.size() >= max) {
        break;
      }
      if (compare(e.getKey(), after) > 0) {
        out.add(new Entry(e.getKey(), e.getValue()));
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> ack(List<String> ids) {
    ids.forEach(queue::remove);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deadLetter(List<Entry> entries, String reason) {
    for (Entry e : entries) {
      if (queue.remove(e.id()) != null) {
        bury(e.event(), reason);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Page> deadLetters(String after, int limit) {
    List<DeadLetter> out = new ArrayList<>();
    boolean more = false;
    for (DeadLetter d : dead) {
      if (after != null && compare(d.id(), after) <= 0) {
        continue;
      }
      if (out.size() == limit) {
        more = true;
        break;
      }
      out.add(d);
    }
    return Future.succeededFuture(new Page(out, more ? out.get(out.size() - 1).id() : null));
  }

  @Override
  public synchronized Future<Integer> replay(List<String> ids) {
    Set<String> wanted = new HashSet<>(ids);
    List<String> events = new ArrayList<>();
    dead.removeIf(d -> {
      if (wanted.contains(d.id())) {
        events.add(d.event());
        return true;
      }
      return false;
    });
    add(events);
    return Future.succeededFuture(events.size());
  }

  @Override
  public synchronized Future<Sizes> sizes() {
    return Future.succeededFuture(new Sizes(queue.size(), dead.size()));
  }

  private void bury(String event, String reason) {
    if (dead.size() >= deadLetterCap) {
      dead.removeFirst();
    }
    dead.addLast(new DeadLetter(nextId(), event, reason, clock.millis()));
  }

  /** Like a Redis Stream's: the time, and a counter within the same millisecond; never going back. */
  private String nextId() {
    long now = Math.max(clock.millis(), lastMs);
    lastN = now == lastMs ? lastN + 1 : 0;
    lastMs = now;
    return now + "-" + lastN;
  }

  static int compare(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
    return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
  }
}
