package io.switchboard.store.memory;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageIds;
import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Logs held in the heap. One lock: calls are short and the node is a single process.
 *
 * <p>Besides retention by count and age, everything is held within a byte budget
 * ({@code store.memoryMaxBytes}): clients choose stream names and ids freely, so without it a client
 * could grow the heap until the node dies. Over budget, the oldest data goes first, whatever it is.
 *
 * <p>A stream dropped that way, idle past its life, or lost with the process comes back with a new
 * epoch: epochs are the system clock's microseconds (not the store's clock, which tests move), kept
 * strictly increasing across all streams of this store, so a new one is above any the stream had in
 * this process, and a restarted process starts later in time than the one before it.
 */
final class InMemoryLog {

  private static final Logger LOG = LoggerFactory.getLogger(InMemoryLog.class);
  /** Rough heap cost of an entry beyond its strings (object headers, deque slot, longs). */
  private static final long ENTRY_OVERHEAD = 96;
  private static final long STREAM_OVERHEAD = 160;
  private static final long ID_OVERHEAD = 96;
  private static final long WARN_EVERY_MS = 60_000;

  private final Clock clock;
  private final int maxMessages;
  private final long maxAgeMs;
  private final long idempotencyMs;
  private final long maxBytes;
  private final long idleMs;
  private long lastEpoch;
  private final Map<String, StreamLog> streams = new HashMap<>();
  /** Insertion order is age order (fixed window), so the oldest keys are always at the front. */
  private final LinkedHashMap<String, Remembered> idempotency = new LinkedHashMap<>();
  private long bytes;
  /** So that the first overflow warns: now - lastWarning must not overflow. */
  private long lastWarning = -WARN_EVERY_MS;

  InMemoryLog(StoreOptions options, Clock clock) {
    this.clock = clock;
    this.maxMessages = options.getRetentionMessages();
    this.maxAgeMs = options.getRetentionSeconds() * 1000;
    this.idempotencyMs = options.getIdempotencySeconds() * 1000;
    this.maxBytes = options.getMemoryMaxBytes();
    this.idleMs = maxAgeMs + MessageLog.IDLE_GRACE_MS;
  }

  synchronized AppendResult append(AppendRequest r) {
    long now = clock.millis();
    forgetExpiredIds(now);
    String key = r.clientId() == null ? null : r.stream() + '\n' + r.from() + '\n' + r.clientId();
    StreamLog log = alive(r.stream(), now);
    if (log == null) {
      lastEpoch = Math.max(System.currentTimeMillis() * 1000, lastEpoch + 1);
      log = new StreamLog(r.stream(), lastEpoch);
      streams.put(r.stream(), log);
      bytes += STREAM_OVERHEAD + r.stream().length();
    }
    if (key != null) {
      Remembered first = idempotency.get(key);
      if (first != null && first.epoch == log.epoch) {
        trimByAge(log, now);
        return new AppendResult(first.seq, log.epoch, r.clientId(), true, log.find(first.seq));
      }
    }
    String id = r.clientId() != null ? r.clientId() : MessageIds.next();
    StoredMessage m = new StoredMessage(r.stream(), ++log.head, log.epoch, id, r.from(), r.body(), now);
    log.entries.addLast(m);
    log.lastAppend = now;
    bytes += sizeOf(m);
    while (log.entries.size() > maxMessages) {
      bytes -= sizeOf(log.entries.removeFirst());
    }
    trimByAge(log, now);
    if (key != null) {
      idempotency.put(key, new Remembered(m.seq(), log.epoch, now));
      bytes += ID_OVERHEAD + key.length();
    }
    if (bytes > maxBytes) {
      shed(now);
    }
    return new AppendResult(m.seq(), log.epoch, id, false, m);
  }

  /** The stream's log, unless it has none or it was idle past its life (then it is forgotten here). */
  private StreamLog alive(String stream, long now) {
    StreamLog log = streams.get(stream);
    if (log != null && now - log.lastAppend > idleMs) {
      streams.remove(stream);
      while (!log.entries.isEmpty()) {
        bytes -= sizeOf(log.entries.removeFirst());
      }
      bytes -= STREAM_OVERHEAD + stream.length();
      return null;
    }
    return log;
  }

  synchronized ReadResult read(String stream, long fromSeq, int limit) {
    long now = clock.millis();
    StreamLog log = alive(stream, now);
    if (log == null) {
      return new ReadResult(List.of(), 1, 0, 0);
    }
    trimByAge(log, now);
    long first = log.entries.isEmpty() ? log.head + 1 : log.entries.peekFirst().seq();
    int max = Math.min(Math.max(limit, 0), MessageLog.MAX_PAGE);
    List<StoredMessage> page = new ArrayList<>(Math.min(max, log.entries.size()));
    long skip = Math.max(0, fromSeq - first);
    Iterator<StoredMessage> it = log.entries.iterator();
    for (long i = 0; i < skip && it.hasNext(); i++) {
      it.next();
    }
    while (it.hasNext() && page.size() < max) {
      page.add(it.next());
    }
    return new ReadResult(page, first, log.head, log.epoch);
  }

  synchronized Map<String, Position> heads(Iterable<String> names) {
    long now = clock.millis();
    Map<String, Position> out = new HashMap<>();
    for (String name : names) {
      StreamLog log = alive(name, now);
      out.put(name, log == null ? Position.NONE : new Position(log.head, log.epoch));
    }
    return out;
  }

  /** Heap held, as estimated for the budget. */
  synchronized long bytes() {
    return bytes;
  }

  private void trimByAge(StreamLog log, long now) {
    while (!log.entries.isEmpty() && now - log.entries.peekFirst().ts() >= maxAgeMs) {
      bytes -= sizeOf(log.entries.removeFirst());
    }
  }

  private void forgetExpiredIds(long now) {
    Iterator<Map.Entry<String, Remembered>> it = idempotency.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Remembered> e = it.next();
      if (now - e.getValue().at < idempotencyMs) {
        break;
      }
      it.remove();
      bytes -= ID_OVERHEAD + e.getKey().length();
    }
  }

  /**
   * Frees down to 90% of the budget (so it does not run on every append), oldest data first: the
   * first entry of the stream whose first entry is oldest, an idempotency key, or a stream that holds
   * nothing and was last written longest ago (its seqs then start over, which clients see as a reset).
   */
  private void shed(long now) {
    long target = maxBytes / 10 * 9;
    PriorityQueue<StreamLog> oldest = new PriorityQueue<>(Comparator.comparingLong(StreamLog::oldest));
    oldest.addAll(streams.values());
    Iterator<Map.Entry<String, Remembered>> ids = idempotency.entrySet().iterator();
    Map.Entry<String, Remembered> nextId = ids.hasNext() ? ids.next() : null;
    long messages = 0;
    long keys = 0;
    long emptied = 0;
    while (bytes > target && (nextId != null || !oldest.isEmpty())) {
      StreamLog s = oldest.peek();
      if (nextId != null && (s == null || nextId.getValue().at <= s.oldest())) {
        ids.remove();
        bytes -= ID_OVERHEAD + nextId.getKey().length();
        keys++;
        nextId = ids.hasNext() ? ids.next() : null;
      } else {
        oldest.poll();
        if (!s.entries.isEmpty()) {
          bytes -= sizeOf(s.entries.removeFirst());
          messages++;
          oldest.add(s);
        } else {
          streams.remove(s.name);
          bytes -= STREAM_OVERHEAD + s.name.length();
          emptied++;
        }
      }
    }
    if (now - lastWarning >= WARN_EVERY_MS) {
      lastWarning = now;
      LOG.warn("In-memory store reached store.memoryMaxBytes (" + maxBytes + "): dropped the oldest " + messages
          + " messages, " + keys + " idempotency keys and " + emptied + " idle streams. Clients resuming below them get"
          + " a gap. Raise the budget or the heap, or lower retention.");
    }
  }

  private static long sizeOf(StoredMessage m) {
    return ENTRY_OVERHEAD + m.body().length() + m.id().length() + m.from().length();
  }

  private static final class StreamLog {
    final String name;
    final long epoch;
    long head;
    long lastAppend;
    final ArrayDeque<StoredMessage> entries = new ArrayDeque<>();

    StreamLog(String name, long epoch) {
      this.name = name;
      this.epoch = epoch;
    }

    /** Time of the oldest thing this stream holds: its first entry, or its last write when empty. */
    long oldest() {
      return entries.isEmpty() ? lastAppend : entries.peekFirst().ts();
    }

    /** Entries are contiguous, so the position of a seq is its distance from the first one. */
    StoredMessage find(long seq) {
      if (entries.isEmpty() || seq < entries.peekFirst().seq() || seq > head) {
        return null;
      }
      long index = seq - entries.peekFirst().seq();
      Iterator<StoredMessage> it = entries.iterator();
      for (long i = 0; i < index; i++) {
        it.next();
      }
      return it.next();
    }
  }

  private record Remembered(long seq, long epoch, long at) {
  }
}
