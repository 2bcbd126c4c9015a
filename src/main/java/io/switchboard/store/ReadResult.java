package io.switchboard.store;

import java.util.List;

/**
 * A page of a stream's log.
 *
 * @param messages       retained entries with seq &gt;= the requested seq, ascending, contiguous
 * @param firstAvailable lowest seq still retained, or head + 1 when the log holds nothing
 * @param head           highest seq ever assigned in the stream (0 for a stream never written)
 */
public record ReadResult(List<StoredMessage> messages, long firstAvailable, long head) {
}
