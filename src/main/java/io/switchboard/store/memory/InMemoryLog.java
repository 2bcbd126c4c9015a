package io.switchboard.store.memory;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageIds;
import io.switchboard.store.MessageLog;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Logs held in the heap. One lock: calls are short and the node is a single process. */
final class InMemoryLog {

  private final Clock clock;
  private final int maxMessages;
  private final long maxAgeMs;
  private final long idempotencyMs;
  private final Map<String, StreamLog> streams = new HashMap<>();
  /** Insertion order equals expiry order (fixed window), so expired keys are always at the front. */
  private final LinkedHashMap<String, Remembered> idempotency = new LinkedHashMap<>();

  InMemoryLog(StoreOptions options, Clock clock) {
    this.clock = clock;
    this.maxMessages = options.getRetentionMessages();
    this.maxAgeMs = options.getRetentionSeconds() * 1000;
    this.idempotencyMs = options.getIdempotencySeconds() * 1000;
  }

  synchronized AppendResult append(AppendRequest r) {
    long now = clock.millis();
    forgetExpiredIds(now);
    String key = r.clientId() == null ? null : r.stream() + '\n' + r.from() + '\n' + r.clientId();
    StreamLog log = streams.computeIfAbsent(r.stream(), s -> new StreamLog());
    if (key != null) {
      Remembered first = idempotency.get(key);
      if (first != null) {
        trimByAge(log, now);
        return new AppendResult(first.seq, r.clientId(), true, log.find(first.seq));
      }
    }
    String id = r.clientId() != null ? r.clientId() : MessageIds.next();
    StoredMessage m = new StoredMessage(r.stream(), ++log.head, id, r.from(), r.body(), now);
    log.entries.addLast(m);
    while (log.entries.size() > maxMessages) {
      log.entries.removeFirst();
    }
    trimByAge(log, now);
    if (key != null) {
      idempotency.put(key, new Remembered(m.seq(), now + idempotencyMs));
    }
    return new AppendResult(m.seq(), id, false, m);
  }

  synchronized ReadResult read(String stream, long fromSeq, int limit) {
    StreamLog log = streams.get(stream);
    if (log == null) {
      return new ReadResult(List.of(), 1, 0);
    }
    trimByAge(log, clock.millis());
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
    return new ReadResult(page, first, log.head);
  }

  synchronized Map<String, Long> heads(Iterable<String> names) {
    Map<String, Long> out = new HashMap<>();
    for (String name : names) {
      StreamLog log = streams.get(name);
      out.put(name, log == null ? 0L : log.head);
    }
    return out;
  }

  private void trimByAge(StreamLog log, long now) {
    while (!log.entries.isEmpty() && now - log.entries.peekFirst().ts() >= maxAgeMs) {
      log.entries.removeFirst();
    }
  }

  private void forgetExpiredIds(long now) {
    Iterator<Remembered> it = idempotency.values().iterator();
    while (it.hasNext() && it.next().expiresAt <= now) {
      it.remove();
    }
  }

  private static final class StreamLog {
    long head;
    final ArrayDeque<StoredMessage> entries = new ArrayDeque<>();

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

  private record Remembered(long seq, long expiresAt) {
  }
}
