package io.switchboard.store;

/**
 * A place in a stream: a seq within one epoch of it. A stream's seqs start over at 1 only with a new
 * epoch, and a stream's epochs only grow, so positions order by epoch first, then seq: a position of
 * an older epoch is below every position of a newer one, whatever its seq.
 *
 * @param seq   a seq of the stream (0: before its first message)
 * @param epoch the stream's history this seq belongs to; 0 when the stream has no history (never
 *              written, or expired)
 */
public record Position(long seq, long epoch) implements Comparable<Position> {

  /** A stream with no history. */
  public static final Position NONE = new Position(0, 0);

  @Override
  public int compareTo(Position o) {
    int byEpoch = Long.compare(epoch, o.epoch);
    return byEpoch != 0 ? byEpoch : Long.compare(seq, o.seq);
  }

  /** The epoch as the protocol writes it: an opaque string, empty for "no history". */
  public static String wireEpoch(long epoch) {
    return epoch == 0 ? "" : Long.toString(epoch);
  }

  /**
   * The epoch a client sent back, or -1 when it is not one this server could have written (the
   * client then holds a position in a history the stream no longer has).
   */
  public static long parseEpoch(String wire) {
    if (wire.isEmpty()) {
      return 0;
    }
    if (wire.length() > 19) {
      return -1;
    }
    long e = 0;
    for (int i = 0; i < wire.length(); i++) {
      char c = wire.charAt(i);
      if (c < '0' || c > '9' || (i == 0 && c == '0')) {
        return -1;
      }
      e = e * 10 + (c - '0');
      if (e < 0) {
        return -1;
      }
    }
    return e;
  }
}
