package io.switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * One connection through a test proxy ({@link TcpProxy}, {@link FailoverProxy}): the client's socket,
 * the target's, and a thread per direction copying bytes. The proxy plays the network's faults on
 * it: silent (nothing carried, nothing closed), replies dropped (the client's bytes still arrive),
 * reset.
 */
final class ProxyLink {
  private final Socket client;
  private final Socket upstream;
  private final Consumer<ProxyLink> ended;
  volatile boolean silent;
  volatile boolean repliesDropped;

  /** {@code ended} is told once the link is closed or reset (the proxy forgets it). */
  ProxyLink(Socket client, Socket upstream, Consumer<ProxyLink> ended) {
    this.client = client;
    this.upstream = upstream;
    this.ended = ended;
  }

  /** Starts copying, both ways, on daemon threads named {@code threadName}. */
  void start(String threadName) {
    pump(client, upstream, false, threadName);
    pump(upstream, client, true, threadName);
  }

  void close() {
    closeQuietly(client);
    closeQuietly(upstream);
    ended.accept(this);
  }

  /** Both sides see a reset (RST), as when the network under the connection goes away. */
  void reset() {
    resetQuietly(client);
    resetQuietly(upstream);
    ended.accept(this);
  }

  private void pump(Socket from, Socket to, boolean reply, String threadName) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) != -1) {
          if (!silent && !(reply && repliesDropped)) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // either side closed or was reset
      } finally {
        // a silent link hides even its end from the other side, as a dead network does
        if (!silent) {
          close();
        }
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
  }

  static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already closed
    }
  }
}
