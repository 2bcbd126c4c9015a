package io.switchboard.client;

/** The protocol's WebSocket close codes (docs/protocol.md), and what the client does after each. */
public final class CloseCodes {
  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;
  public static final int UNSUPPORTED_DATA = 1003;
  public static final int NO_STATUS = 1005;
  public static final int ABNORMAL = 1006;
  public static final int INVALID_PAYLOAD = 1007;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;
  public static final int SERVICE_RESTART = 1012;
  public static final int TRY_AGAIN_LATER = 1013;
  public static final int BAD_HELLO = 4400;
  public static final int UNAUTHORIZED = 4401;
  public static final int FORBIDDEN = 4403;
  public static final int TIMEOUT = 4408;
  public static final int RATE_LIMITED = 4429;

  /** What to do after a close. */
  public enum Action {
    /** Reconnect with backoff. */
    RETRY,
    /** Reconnect after the node's {@code reconnect} hint (backoff without one). */
    HINT,
    /** Reconnect only with a fresh token. */
    TOKEN,
    /** Stop. */
    NEVER
  }

  private CloseCodes() {
  }

  /** After {@code code} (0 or 1006 for a socket lost without a close frame). */
  public static Action action(int code) {
    switch (code) {
      case 0:
      case GOING_AWAY:
      case NO_STATUS:
      case ABNORMAL:
      case INTERNAL_ERROR:
      case TRY_AGAIN_LATER:
      case TIMEOUT:
      case RATE_LIMITED:
        return Action.RETRY;
      case SERVICE_RESTART:
        return Action.HINT;
      case UNAUTHORIZED:
        return Action.TOKEN;
      default:
        // 1000, 1002, 1003, 1007, 1009, 4400, 4403 and codes the protocol does not list
        return Action.NEVER;
    }
  }
}
