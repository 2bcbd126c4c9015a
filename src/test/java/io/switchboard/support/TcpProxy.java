package io.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy whose open connections can be made to go silent: bytes are accepted and
 * dropped, nothing is answered and nothing is closed, as with a peer whose host vanished or a
 * network partition. Connections opened afterwards work normally. When the target refuses, the
 * client's connection is closed right after it was accepted, as a connection attempt that fails;
 * every accepted connection is counted, and new ones can be held (accepted, not yet passed on) so
 * that a test decides when an attempt ends.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<ProxyLink> links = new CopyOnWriteArrayList<>();
  private final List<Socket> held = new ArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean silentForNew;
  private boolean holding;
  private volatile long refuseAfterMs;
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

  /** Connections accepted so far: the connection attempts of the clients. */
  public int accepted() {
    return accepted.get();
  }

  /** New connections are accepted and counted, then wait (nothing read, nothing sent) until {@link #releaseHeld()}. */
  public synchronized void holdNew() {
    holding = true;
  }

  /** Passes the held connections on to the target (each closed if the target refuses), and stops holding. */
  public void releaseHeld() {
    List<Socket> release;
    synchronized (this) {
      holding = false;
      release = new ArrayList<>(held);
      held.clear();
    }
    release.forEach(this::connect);
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        continue; // closed
      }
      accepted.incrementAndGet();
      acceptedAt.add(System.nanoTime());
      synchronized (this) {
        if (holding) {
          held.add(client);
          continue;
        }
      }
      connect(client);
    }
  }

  private void connect(Socket client) {
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      ProxyLink link = new ProxyLink(client, upstream, links::remove);
      link.silent = silentForNew;
      links.add(link);
      link.start("tcp-proxy-pump");
    } catch (IOException e) {
      // the target is down: the client sees its connection end
      if (refuseAfterMs > 0) {
        try {
          // the delay is the fault (a slow refusal), not a wait for anything; on the accept thread, so
          // refusals come one at a time as refuseAfter says
          Thread.sleep(refuseAfterMs);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        client.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  @Override
  public void close() {
    ProxyLink.closeQuietly(server);
    synchronized (this) {
      held.forEach(ProxyLink::closeQuietly);
      held.clear();
    }
    links.forEach(ProxyLink::close);
  }
}
