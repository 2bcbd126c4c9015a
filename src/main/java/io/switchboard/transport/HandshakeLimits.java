package io.switchboard.transport;

import java.util.List;

/**
 * What the front door enforces at the handshake, before any upgrade.
 *
 * @param maxConnections           WebSocket connections the node holds at most (then 503)
 * @param maxConnectionsPerIp      concurrent WebSocket connections per client IP (then 429)
 * @param handshakesPerIpPerSecond upgrade requests per client IP per second, burst of one second's worth (then 429)
 * @param trustedProxies           IPs and CIDR blocks whose X-Forwarded-For is believed
 * @param upgradesInFlight         clients answered 101 and not heard from yet, at most; the others wait for their 101
 */
public record HandshakeLimits(int maxConnections, int maxConnectionsPerIp, int handshakesPerIpPerSecond,
                              List<String> trustedProxies, int upgradesInFlight) {
}
