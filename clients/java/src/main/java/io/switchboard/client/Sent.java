package io.switchboard.client;

/** A send the node stored: its stream, seq (0 for a transient send), epoch and client id. */
public final class Sent {
  private final String stream;
  private final long seq;
  private final String epoch;
  private final String id;

  public Sent(String stream, long seq, String epoch, String id) {
    this.stream = stream;
    this.seq = seq;
    this.epoch = epoch;
    this.id = id;
  }

  public String getStream() {
    return stream;
  }

  public long getSeq() {
    return seq;
  }

  public String getEpoch() {
    return epoch;
  }

  public String getId() {
    return id;
  }

  @Override
  public String toString() {
    return "Sent{" + stream + " #" + seq + (epoch != null ? "@" + epoch : "") + ", id " + id + "}";
  }
}
