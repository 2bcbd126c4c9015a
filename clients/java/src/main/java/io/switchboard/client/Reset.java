package io.switchboard.client;

/**
 * A stream started over with a new epoch (its store lost it, or it was idle past the retention):
 * what had not arrived of its old history is gone; its new history follows from seq 1.
 */
public final class Reset {
  private final String stream;
  private final String epoch;
  private final Long last;

  public Reset(String stream, String epoch, Long last) {
    this.stream = stream;
    this.epoch = epoch;
    this.last = last;
  }

  public String getStream() {
    return stream;
  }

  /** The new epoch. */
  public String getEpoch() {
    return epoch;
  }

  /** The seq this client held in the old history, or null when it held none (the device's cursor was voided). */
  public Long getLast() {
    return last;
  }

  @Override
  public String toString() {
    return "Reset{" + stream + " to epoch " + epoch + ", last " + last + "}";
  }
}
