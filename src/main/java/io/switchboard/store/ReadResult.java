package io.switchboard.store;

import java.util.List;

/**
 * A page of a stream's log, all of one epoch.
 *
 * @param messages       retained entries with seq &gt;= the requested seq, ascending, contiguous
 * @param firstAvailable lowest seq still retained, or head + 1 when the log holds nothing
 * @param head           highest seq assigned in the stream's current epoch (0 for a stream with no history)
 * @param epoch          the stream's current epoch (0 when it has no history); the requested seq
 *                       means something only if it was taken from this epoch
 */
public record ReadResult(List<StoredMessage> messages, long firstAvailable, long head, long epoch) {
}
