package io.switchboard.transport;

import java.nio.charset.StandardCharsets;

/** Encodes unmasked WebSocket text frames (RFC 6455 §5.2) once, for any number of sockets. */
public final class WebSocketFrames {

  private static final byte FIN_TEXT = (byte) 0x81;

  private WebSocketFrames() {
  }

  public static byte[] text(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = FIN_TEXT;
    if (n < 126) {
      frame[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
  }

  /** Bytes before the payload in a frame made by {@link #text}. */
  static int headerLength(byte[] frame) {
    int n = frame[1] & 0x7f;
    return n < 126 ? 2 : n == 126 ? 4 : 10;
  }
}
