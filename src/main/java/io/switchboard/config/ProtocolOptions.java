package io.switchboard.config;

/** Timings of protocol v1. */
public class ProtocolOptions {

  public static final int DEFAULT_HELLO_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_HEARTBEAT_MS = 25_000;

  private int helloTimeoutMs = DEFAULT_HELLO_TIMEOUT_MS;
  private int heartbeatMs = DEFAULT_HEARTBEAT_MS;

  static ProtocolOptions read(ConfigReader r) {
    ProtocolOptions o = new ProtocolOptions();
    o.helloTimeoutMs = r.integer(Setting.PROTOCOL_HELLO_TIMEOUT_MS, DEFAULT_HELLO_TIMEOUT_MS, 50, 600_000);
    o.heartbeatMs = r.integer(Setting.PROTOCOL_HEARTBEAT_MS, DEFAULT_HEARTBEAT_MS, 50, 600_000);
    return o;
  }

  /** A connection that has not sent hello this long after the upgrade is closed with 4408. */
  public int getHelloTimeoutMs() {
    return helloTimeoutMs;
  }

  /** Idle time before the server pings; a ping unanswered for as long again closes with 4408. */
  public int getHeartbeatMs() {
    return heartbeatMs;
  }
}
