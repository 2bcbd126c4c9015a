package io.switchboard.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking RESP2 client for tests: administration (FLUSHALL, CLUSTER MEET, INFO ...) and looking
 * at what the store wrote, independently of the client under test. Every read has a timeout.
 */
public final class Resp implements AutoCloseable {

  /** An error reply. */
  public static final class RedisError extends IOException {
    private static final long serialVersionUID = 1L;

    RedisError(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public Resp(int port, int timeoutMs) throws IOException {
    socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** One command on a fresh connection. */
  public static Object call(int port, String... args) throws IOException {
    try (Resp r = new Resp(port, 5_000)) {
      return r.command(args);
    }
  }

  /**
   * @return a String (simple or bulk string), Long (integer), List (array) or null (nil)
   * @throws RedisError for an error reply
   */
  public Object command(String... args) throws IOException {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      req.writeBytes(b);
      req.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(req.toByteArray());
    out.flush();
    return reply();
  }

  private Object reply() throws IOException {
    String line = line();
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
        return rest;
      case '-':
        throw new RedisError(rest);
      case ':':
        return Long.parseLong(rest);
      case '$': {
        int len = Integer.parseInt(rest);
        if (len < 0) {
          return null;
        }
        byte[] b = in.readNBytes(len + 2);
        if (b.length != len + 2) {
          throw new IOException("connection closed in a reply");
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          try {
            items.add(reply());
          } catch (RedisError e) {
            items.add(e);
          }
        }
        return items;
      }
      default:
        throw new IOException("unexpected reply: " + line);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed reply");
        }
        return b.toString(StandardCharsets.UTF_8);
      }
      b.write(c);
    }
    throw new IOException("connection closed");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
