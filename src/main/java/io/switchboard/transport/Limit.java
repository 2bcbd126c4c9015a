package io.switchboard.transport;

/** A limit the front door refuses a WebSocket handshake for, before any upgrade. */
public enum Limit {
  /** The node holds its maximum of connections: HTTP 503 with Retry-After. */
  CAPACITY,
  /** The client IP holds its maximum of concurrent connections: HTTP 429. */
  IP_CONNECTIONS,
  /** The client IP opened handshakes faster than its rate: HTTP 429 with Retry-After. */
  HANDSHAKE_RATE
}
