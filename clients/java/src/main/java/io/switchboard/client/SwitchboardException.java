package io.switchboard.client;

/**
 * A request that failed, or an error the client reports as an event. For a send, {@link #getId()}
 * names it and {@link #isMaybeStored()} says whether it may have been stored anyway: then sending
 * again with the same id (within the node's idempotency window) is safe and tells.
 */
public final class SwitchboardException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String wireCode;
  private final String id;
  private final boolean maybeStored;
  private final int closeCode;

  public SwitchboardException(ErrorCode code, String message) {
    this(code, code.wire(), message, null, false, 0, null);
  }

  public SwitchboardException(ErrorCode code, String wireCode, String message, String id, boolean maybeStored,
      int closeCode, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.wireCode = wireCode;
    this.id = id;
    this.maybeStored = maybeStored;
    this.closeCode = closeCode;
  }

  public ErrorCode getCode() {
    return code;
  }

  /** The code as received (differs from {@code getCode().wire()} only for {@link ErrorCode#UNKNOWN}). */
  public String getWireCode() {
    return wireCode;
  }

  /** The send's client id, or null. */
  public String getId() {
    return id;
  }

  /** True when the send may have been stored although it failed. */
  public boolean isMaybeStored() {
    return maybeStored;
  }

  /** The WebSocket close code that ended the client ({@link ErrorCode#CLOSED}), or 0. */
  public int getCloseCode() {
    return closeCode;
  }

  @Override
  public String toString() {
    return "SwitchboardException{" + wireCode + ": " + getMessage() + (id != null ? ", id " + id : "")
        + (maybeStored ? ", maybe stored" : "") + (closeCode != 0 ? ", close " + closeCode : "") + "}";
  }
}
