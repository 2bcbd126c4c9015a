package io.switchboard.transport;

import java.net.SocketAddress;

/**
 * The node-wide gatekeeper of WebSocket handshakes, shared by the handlers of every event loop:
 * whose handshake it is, whether that IP may open one more now, and whether the node and the IP
 * have a connection slot left.
 */
final class Admission {

  /** Client IPs whose handshake rate is tracked at once. */
  static final int MAX_TRACKED_IPS = 65_536;
  /** When a node at capacity suggests trying again (a balancer may send the client elsewhere at once). */
  static final int CAPACITY_RETRY_AFTER_SECONDS = 5;

  /** @param retryAfterSeconds 0 for no Retry-After header */
  record Refusal(Limit limit, int status, long retryAfterSeconds) {
  }

  private final ClientIps clientIps;
  private final HandshakeRate rate;
  private final ConnectionSlots slots;

  Admission(HandshakeLimits limits) {
    this.clientIps = new ClientIps(limits.trustedProxies());
    this.rate = new HandshakeRate(limits.handshakesPerIpPerSecond(), MAX_TRACKED_IPS, System::nanoTime);
    this.slots = new ConnectionSlots(limits.maxConnections(), limits.maxConnectionsPerIp());
  }

  String clientIp(SocketAddress remote, RequestHead head) {
    return clientIps.resolve(remote, head.header("x-forwarded-for"));
  }

  /** Counts a handshake from {@code ip}; a refusal takes no slot. */
  Refusal rate(String ip) {
    long wait = rate.acquire(ip);
    return wait == 0 ? null : new Refusal(Limit.HANDSHAKE_RATE, 429, wait);
  }

  /** Takes a connection slot for {@code ip}, to be given back with {@link #release} once the connection closes. */
  Refusal take(String ip) {
    Limit limit = slots.take(ip);
    if (limit == null) {
      return null;
    }
    return limit == Limit.CAPACITY
        ? new Refusal(limit, 503, CAPACITY_RETRY_AFTER_SECONDS)
        : new Refusal(limit, 429, 0);
  }

  void release(String ip) {
    slots.release(ip);
  }
}
