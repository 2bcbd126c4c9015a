package io.switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy whose open connections can be made to go silent: bytes are accepted and
 * dropped, nothing is answered and nothing is closed, as with a peer whose host vanished or a
 * network partition. Connections opened afterwards work normally.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private volatile boolean silentForNew;
  private volatile long refuseAfterMs;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Long> acceptedAt = new CopyOnWriteArrayList<>();

  public TcpProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
  }

  public String url() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * Connections accepted so far, whether the target took them or not: how often a client tried to
   * connect (a client that ignores its backoff during an outage shows here).
   */
  public int accepted() {
    return accepted.get();
  }

  /** System.nanoTime() of each accepted connection, oldest first: how close together the attempts came. */
  public List<Long> acceptedAt() {
    return List.copyOf(acceptedAt);
  }

  /**
   * While the target is down, a connection is closed only this long after it was accepted, as a
   * refusal that takes a while to arrive (a remote host, a TLS handshake): the client is busy with
   * its attempt meanwhile. One at a time, as accepts are.
   */
  public void refuseAfter(long ms) {
    this.refuseAfterMs = ms;
  }

  /** Every connection open now stops carrying bytes, in both directions, and stays open. */
  public void silenceOpenConnections() {
    links.forEach(l -> l.silent = true);
  }

  /** Open connections and new ones alike are silent (new ones are still accepted). */
  public void silenceEverything() {
    silentForNew = true;
    silenceOpenConnections();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        acceptedAt.add(System.nanoTime());
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException targetDown) {
          // as a refused connection would: the client learns instead of waiting for a timeout
          if (refuseAfterMs > 0) {
            try {
              Thread.sleep(refuseAfterMs);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          client.close();
          continue;
        }
        Link link = new Link(client, upstream);
        link.silent = silentForNew;
        links.add(link);
        pump(link, client, upstream);
        pump(link, upstream, client);
      } catch (IOException e) {
        // closed, or the target is down: the client sees its connection end
      }
    }
  }

  private static void pump(Link link, Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) != -1) {
          if (!link.silent) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // either side closed
      } finally {
        if (!link.silent) {
          link.close();
        }
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    links.forEach(Link::close);
  }

  private static final class Link {
    final Socket a;
    final Socket b;
    volatile boolean silent;

    Link(Socket a, Socket b) {
      this.a = a;
      this.b = b;
    }

    void close() {
      try {
        a.close();
      } catch (IOException ignored) {
        // already closed
      }
      try {
        b.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
