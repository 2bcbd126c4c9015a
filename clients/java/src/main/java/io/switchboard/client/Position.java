package io.switchboard.client;

/**
 * Where a stream stands for this client: the last seq delivered, in the stream's epoch (the history
 * that seq counts in; {@code ""} for a stream with no history yet, null while unknown).
 */
public final class Position {
  private final long seq;
  private final String epoch;

  public Position(long seq, String epoch) {
    this.seq = seq;
    this.epoch = epoch;
  }

  public long getSeq() {
    return seq;
  }

  /** The epoch, or null while the client has not learnt it (a position given without one). */
  public String getEpoch() {
    return epoch;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Position)) {
      return false;
    }
    Position p = (Position) o;
    return p.seq == seq && (epoch == null ? p.epoch == null : epoch.equals(p.epoch));
  }

  @Override
  public int hashCode() {
    return (int) (seq ^ (seq >>> 32)) * 31 + (epoch == null ? 0 : epoch.hashCode());
  }

  @Override
  public String toString() {
    return seq + "@" + epoch;
  }
}
