package io.switchboard.transport;

import io.netty.handler.ssl.SslContext;

/**
 * @param internalPort     the node's Vert.x HTTP server on loopback, where plain HTTP is relayed
 * @param headTimeoutMs    a connection that has not sent a complete request head by then (TLS handshake included) is dropped
 * @param maxHeadBytes     a larger request head is refused with 431
 * @param maxOutboundBytes a WebSocket's outbound queue counts as full from this many bytes
 * @param compression      offer permessage-deflate
 * @param limits           connection and handshake limits, checked before any upgrade
 * @param tls              the server's TLS context, or null for plain ws/http
 */
public record FrontDoorSettings(String host, int port, String webSocketPath, int maxMessageBytes,
                                int internalPort, long headTimeoutMs, int maxHeadBytes, int maxOutboundBytes,
                                boolean compression, HandshakeLimits limits, SslContext tls) {
}
