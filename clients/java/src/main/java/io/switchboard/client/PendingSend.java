package io.switchboard.client;

/**
 * A send the client restored from its {@link ClientStore} after a restart (the process was killed
 * before the node confirmed it): it is sent again with its id, so the node stores it once. Attach to
 * {@link #getCompletion()} to learn its seq.
 */
public final class PendingSend {
  private final String id;
  private final String to;
  private final Object body;
  private final Completion<Sent> completion;

  public PendingSend(String id, String to, Object body, Completion<Sent> completion) {
    this.id = id;
    this.to = to;
    this.body = body;
    this.completion = completion;
  }

  public String getId() {
    return id;
  }

  public String getTo() {
    return to;
  }

  public Object getBody() {
    return body;
  }

  public Completion<Sent> getCompletion() {
    return completion;
  }
}
