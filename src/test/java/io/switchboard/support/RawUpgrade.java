package io.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket upgrade request over a plain socket, from a chosen local address (all of 127/8 is
 * loopback on Linux, so 127.0.0.2 is another client IP), with any headers. The answer's head is
 * read; an accepted (101) socket stays open, holding its connection, until closed.
 */
public final class RawUpgrade implements AutoCloseable {

  /** Bound on connecting and on reading the answer. */
  static final int TIMEOUT_MS = 20_000;

  private final Socket socket;
  private final int status;
  private final Map<String, String> headers;

  private RawUpgrade(Socket socket, int status, Map<String, String> headers) {
    this.socket = socket;
    this.status = status;
    this.headers = headers;
  }

  public static RawUpgrade open(int port, String fromAddress, Map<String, String> extraHeaders) {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
      extraHeaders.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      String head = readHead(socket.getInputStream());
      String[] lines = head.split("\r\n");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      RawUpgrade answer = new RawUpgrade(socket, Integer.parseInt(lines[0].split(" ")[1]), headers);
      if (answer.status != 101) {
        socket.close();
      }
      return answer;
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new AssertionError("upgrade from " + fromAddress + " failed: " + e, e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (head.size() < 16 * 1024) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the answer's head: " + head);
      }
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        return new String(h, 0, n - 4, StandardCharsets.ISO_8859_1);
      }
    }
    throw new IOException("answer head too long");
  }

  public int status() {
    return status;
  }

  /** A header of the answer (name in any case), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that was asked
    }
  }
}
