package io.switchboard.transport;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

import java.util.Map;

/**
 * Negotiates permessage-deflate at the upgrade, when {@code http.compression} is on. Netty's handshaker
 * answers the client's offer (window sizes, context takeover) and supplies the compressing half; the
 * inflating half is {@link BoundedInflater}.
 *
 * @param responseHeader the value of the 101's Sec-WebSocket-Extensions
 */
record PerMessageDeflate(String responseHeader, WebSocketServerExtension extension) {

  private static final String NAME = "permessage-deflate";
  private static final int COMPRESSION_LEVEL = 6;

  /** The agreed extension, or null when the client offered none this server accepts. */
  static PerMessageDeflate negotiate(String offers) {
    if (offers == null) {
      return null;
    }
    // the JDK's zlib compresses with a 15-bit window only (Netty would need JZlib for less): a client
    // asking for a smaller server window is declined, not failed
    PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
        COMPRESSION_LEVEL, false, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false);
    try {
      for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offers)) {
        if (NAME.equals(offer.name())) {
          WebSocketServerExtension extension = handshaker.handshakeExtension(offer);
          if (extension != null) {
            return new PerMessageDeflate(format(extension.newReponseData()), extension);
          }
        }
      }
    } catch (RuntimeException malformed) {
      // a header Netty cannot parse is an offer not taken
    }
    return null;
  }

  ChannelHandler encoder() {
    return extension.newExtensionEncoder();
  }

  static ChannelHandler decoder(int maxMessageBytes) {
    return new BoundedInflater(maxMessageBytes);
  }

  private static String format(WebSocketExtensionData data) {
    StringBuilder b = new StringBuilder(data.name());
    for (Map.Entry<String, String> p : data.parameters().entrySet()) {
      b.append("; ").append(p.getKey());
      if (p.getValue() != null) {
        b.append('=').append(p.getValue());
      }
    }
    return b.toString();
  }
}
