package io.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A WebSocket client on a plain socket that writes whatever frames a test builds, including ones no
 * WebSocket library would send (bad opcodes, reserved bits, oversized control frames, broken UTF-8).
 * Frames go out masked, as a client's must. Blocking, with a read timeout on every wait.
 */
public final class RawWebSocket implements AutoCloseable {

  public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
  public static final int RSV1 = 0x40, RSV2 = 0x20, RSV3 = 0x10;
  private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  /** A frame from the server; {@code code} is the close code of a close frame (-1 when it carried none). */
  public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public int code() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final Map<String, String> responseHeaders;
  /** Inflates the server's compressed messages when permessage-deflate was negotiated. */
  private final Inflater inflater = new Inflater(true);
  private String closeReason;

  private RawWebSocket(Socket socket, Map<String, String> responseHeaders, InputStream in) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(in);
    this.responseHeaders = responseHeaders;
  }

  /** Opens a socket and completes the upgrade on /ws; fails unless the server answers 101. */
  public static RawWebSocket connect(int port, Map<String, String> headers) {
    return connect(port, headers, (int) WsClient.WAIT.toMillis());
  }

  /** Like {@link #connect(int, Map)}, giving up on the connect and the upgrade after {@code timeoutMs} each. */
  public static RawWebSocket connect(int port, Map<String, String> headers, int timeoutMs) {
    Socket socket = new Socket();
    try {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), Math.min(10_000, timeoutMs));
      socket.setSoTimeout(timeoutMs);
      socket.setTcpNoDelay(true);
      StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      String status = line(in);
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("upgrade refused: " + status);
      }
      Map<String, String> response = new LinkedHashMap<>();
      for (String l = line(in); !l.isEmpty(); l = line(in)) {
        int colon = l.indexOf(':');
        response.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
      return new RawWebSocket(socket, response, in);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new IllegalStateException(e);
    }
  }

  public static RawWebSocket connect(int port) {
    return connect(port, Map.of());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed during the upgrade");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  /** A header of the 101 response (name in lower case), or null. */
  public String responseHeader(String name) {
    return responseHeaders.get(name);
  }

  // ---- writing --------------------------------------------------------------------------------

  /** One masked frame: {@code flags} is FIN (0x80) and RSV bits or'ed, {@code opcode} any 4-bit value. */
  public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
    b.write((fin ? 0x80 : 0) | rsv | (opcode & 0x0f));
    if (payload.length < 126) {
      b.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      b.write(0x80 | 126);
      b.write(payload.length >>> 8);
      b.write(payload.length & 0xff);
    } else {
      b.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        b.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    b.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      b.write(payload[i] ^ mask[i & 3]);
    }
    return b.toByteArray();
  }

  public RawWebSocket send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
    return sendRaw(frame(fin, rsv, opcode, payload));
  }

  public RawWebSocket sendText(String text) throws IOException {
    return send(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public RawWebSocket sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The next frame from the server; compressed messages (RSV1) come back inflated, RSV1 still set. */
  public Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if ((b1 & 0x80) != 0 || length > 16 << 20) {
      throw new IOException("server frame masked or absurdly long: " + length);
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    if ((b0 & RSV1) != 0) {
      payload = inflate(payload);
    }
    return new Frame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0f, payload);
  }

  private byte[] inflate(byte[] compressed) throws IOException {
    inflater.setInput(concat(compressed, DEFLATE_TAIL));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n = inflater.inflate(chunk); n > 0; n = inflater.inflate(chunk)) {
        b.write(chunk, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IOException(e);
    }
    return b.toByteArray();
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The next JSON frame of this type, passing over others (the resumed frames that follow welcome). */
  public io.vertx.core.json.JsonObject next(String type) throws IOException {
    for (int i = 0; i < 100; i++) {
      io.vertx.core.json.JsonObject f = new io.vertx.core.json.JsonObject(readText());
      if (type.equals(f.getString("type"))) {
        return f;
      }
    }
    throw new AssertionError("no " + type + " among 100 frames");
  }

  /** The next text frame's content, skipping pings and pongs. */
  public String readText() throws IOException {
    for (int i = 0; i < 10_000; i++) {
      Frame f = read();
      if (f.opcode() == TEXT) {
        return f.text();
      }
      if (f.opcode() == CLOSE) {
        throw new IOException("closed with " + f.code() + " " + new String(f.payload(), 2, Math.max(0, f.payload().length - 2),
            StandardCharsets.UTF_8));
      }
    }
    throw new IOException("no text frame among 10000 frames");
  }

  /**
   * Reads until the server's close frame and returns its code; -1 when the connection ended without
   * one. Answers the close, as a client should.
   */
  public int awaitClose() throws IOException {
    try {
      for (int i = 0; i < 1_000_000; i++) {
        Frame f = read();
        if (f.opcode() == CLOSE) {
          closeReason = f.payload().length > 2 ? new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8) : "";
          try {
            send(true, 0, CLOSE, new byte[] {f.payload().length >= 2 ? f.payload()[0] : 0x03,
                f.payload().length >= 2 ? f.payload()[1] : (byte) 0xe8});
          } catch (IOException gone) {
            // the server may already have hung up
          }
          return f.code();
        }
      }
      throw new IOException("no close among 1000000 frames");
    } catch (EOFException | java.net.SocketException e) {
      return -1;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no close within " + WsClient.WAIT, e);
    }
  }

  /** True when the server has dropped the TCP connection (reads EOF) within the read timeout. */
  public boolean awaitEof() throws IOException {
    try {
      for (int i = 0; i < 1_000_000; i++) {
        read();
      }
      return false;
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }

  /** The reason of the close frame {@link #awaitClose} read. */
  public String closeReason() {
    return closeReason;
  }

  public void setReadTimeout(int ms) throws IOException {
    socket.setSoTimeout(ms);
  }

  @Override
  public void close() {
    inflater.end();
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
