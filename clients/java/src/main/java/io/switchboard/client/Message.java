package io.switchboard.client;

/**
 * A message of a stream, delivered once and in seq order per stream. {@link #getBody()} is the JSON
 * value as sent: a {@code org.json.JSONObject}, {@code JSONArray}, {@code String}, {@code Number},
 * {@code Boolean} or {@code JSONObject.NULL}; {@link #getBodyJson()} is its JSON text.
 */
public final class Message {
  private final String stream;
  private final long seq;
  private final String epoch;
  private final String id;
  private final String from;
  private final Object body;
  private final long ts;
  private final boolean replayed;
  private final boolean transientMessage;

  public Message(String stream, long seq, String epoch, String id, String from, Object body, long ts,
      boolean replayed, boolean transientMessage) {
    this.stream = stream;
    this.seq = seq;
    this.epoch = epoch;
    this.id = id;
    this.from = from;
    this.body = body;
    this.ts = ts;
    this.replayed = replayed;
    this.transientMessage = transientMessage;
  }

  /** {@code user:<id>}, {@code room:<id>} or {@code all}. */
  public String getStream() {
    return stream;
  }

  /** The seq in the stream's log; 0 for a transient message. */
  public long getSeq() {
    return seq;
  }

  /**
   * The epoch the seq counts in (seqs start over at 1 after a {@link Reset}): keep messages by
   * {@code (stream, epoch, seq)} or by {@link #getId()}, not by {@code (stream, seq)}. Null for a
   * transient message, or while the client has not learnt the epoch.
   */
  public String getEpoch() {
    return epoch;
  }

  public String getId() {
    return id;
  }

  /** The sender's user id (from the sender's token, never from the frame). */
  public String getFrom() {
    return from;
  }

  public Object getBody() {
    return body;
  }

  /** The body as JSON text. */
  public String getBodyJson() {
    return io.switchboard.client.internal.Json.stringify(body);
  }

  /** When the message was stored, in milliseconds since the epoch. */
  public long getTs() {
    return ts;
  }

  /** True while the client catches up after a (re)connection. */
  public boolean isReplayed() {
    return replayed;
  }

  /** True for a live-only message (no seq, never replayed, possibly lost). */
  public boolean isTransient() {
    return transientMessage;
  }

  @Override
  public String toString() {
    return "Message{" + stream + " #" + seq + (epoch != null ? "@" + epoch : "") + " from " + from + ": "
        + getBodyJson() + (replayed ? ", replayed" : "") + (transientMessage ? ", transient" : "") + "}";
  }
}
