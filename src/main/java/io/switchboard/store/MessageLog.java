package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Map;

/** Per-stream logs with contiguous seqs, retention by count and age, and idempotent append. */
public interface MessageLog {

  /** Maximum entries one {@link #read} returns, whatever the caller asks for. */
  int MAX_PAGE = 1000;

  /**
   * Appends atomically: assigns the stream's next seq (1, 2, 3, ...), stores the entry, trims by
   * count and age. A request whose (stream, sender, clientId) was seen inside the idempotency window
   * appends nothing and returns the first result with {@code duplicate = true}.
   */
  Future<AppendResult> append(AppendRequest request);

  /** Entries with seq &gt;= {@code fromSeq}, at most {@code limit} (capped at {@link #MAX_PAGE}). */
  Future<ReadResult> read(String stream, long fromSeq, int limit);

  /** Current head seq of each stream; 0 for streams never written. */
  Future<Map<String, Long>> heads(Collection<String> streams);
}
