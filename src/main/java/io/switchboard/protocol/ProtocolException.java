package io.switchboard.protocol;

/** A client frame that cannot be honoured; becomes an error frame (the connection stays open). */
public class ProtocolException extends RuntimeException {

  private final ErrorCode code;
  private final transient Object ref;

  public ProtocolException(ErrorCode code, Object ref, String message) {
    super(message, null, false, false);
    this.code = code;
    this.ref = ref;
  }

  public ErrorCode code() {
    return code;
  }

  /** The ref of the request that failed, or null when it had none or it could not be read. */
  public Object ref() {
    return ref;
  }
}
