package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Map;

/**
 * Per-stream logs with contiguous seqs, retention by count and age, and idempotent append.
 *
 * <p><b>Epochs.</b> A stream that is not appended to for {@link #IDLE_GRACE_MS} past the retention
 * age holds nothing anymore and is forgotten: it has no history (epoch 0, head 0) until its next
 * append, which starts a new epoch at seq 1. An implementation may also lose a stream's state (the
 * in-memory store under memory pressure or restarted, a Redis without persistence restarted). Either
 * way the new epoch is above every epoch the stream had before (epochs are the store's wall-clock
 * time in microseconds, kept increasing), so a position of an older epoch is recognisably void
 * ({@link Position}) instead of being mistaken for a place in the new history.
 */
public interface MessageLog {

  /** Maximum entries one {@link #read} returns, whatever the caller asks for. */
  int MAX_PAGE = 1000;

  /**
   * How long past the retention age an idle stream keeps its head and epoch: a client that comes
   * back within it is told exactly which seqs it lost ({@code gap}); after it, that the stream
   * started over ({@code reset}).
   */
  long IDLE_GRACE_MS = 86_400_000L;

  /**
   * Appends atomically: assigns the stream's next seq (1, 2, 3, ... within its epoch; a stream with
   * no history starts a new epoch), stores the entry, trims by count and age. A request whose
   * (stream, sender, clientId) was seen inside the idempotency window, in the stream's current
   * epoch, appends nothing and returns the first result with {@code duplicate = true}.
   */
  Future<AppendResult> append(AppendRequest request);

  /** Entries of the current epoch with seq &gt;= {@code fromSeq}, at most {@code limit} (capped at {@link #MAX_PAGE}). */
  Future<ReadResult> read(String stream, long fromSeq, int limit);

  /** Current head of each stream: its last seq and epoch; {@link Position#NONE} for a stream with no history. */
  Future<Map<String, Position>> heads(Collection<String> streams);
}
