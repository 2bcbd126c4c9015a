package io.switchboard.client;

/** Seqs {@code from}..{@code to} of a stream are gone from the log (retention) and will never arrive. */
public final class Gap {
  private final String stream;
  private final long from;
  private final long to;

  public Gap(String stream, long from, long to) {
    this.stream = stream;
    this.from = from;
    this.to = to;
  }

  public String getStream() {
    return stream;
  }

  public long getFrom() {
    return from;
  }

  public long getTo() {
    return to;
  }

  @Override
  public String toString() {
    return "Gap{" + stream + " " + from + ".." + to + "}";
  }
}
