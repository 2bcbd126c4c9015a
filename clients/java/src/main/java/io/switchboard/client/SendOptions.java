package io.switchboard.client;

/** Options of one send: its client id (a UUID unless given) and whether it is transient. */
public final class SendOptions {
  private String id;
  private boolean transientSend;

  /** The client id: retries and a resend after a restart use it, so the node stores the message once. */
  public SendOptions setId(String id) {
    this.id = id;
    return this;
  }

  /** Live only: not stored, no seq, never queued (fails with {@code offline} when not connected). */
  public SendOptions setTransient(boolean transientSend) {
    this.transientSend = transientSend;
    return this;
  }

  public String getId() {
    return id;
  }

  public boolean isTransient() {
    return transientSend;
  }
}
