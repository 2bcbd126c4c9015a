package io.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of several nodes, as a load balancer with failover: each new
 * connection goes to the first node of the list that accepts a TCP connection, so that once a node
 * dies its clients' reconnects land on the next one. The test can take a node out of the list (as a
 * balancer does when the node's readiness goes down), and play the network's faults on the client's
 * side: refuse new connections, cut the open ones, lose what the nodes answer, or go silent.
 */
public final class FailoverProxy implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private final ServerSocket server;
  private final List<ProxyLink> links = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile List<Integer> targets;
  private volatile boolean refusing;

  public FailoverProxy(int... targetPorts) {
    route(targetPorts);
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::accept, "failover-proxy-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
  }

  /** The WebSocket URL of the nodes behind this proxy. */
  public String wsUrl() {
    return "ws://127.0.0.1:" + server.getLocalPort() + "/ws";
  }

  /** New connections go to the first of these ports that accepts; open connections stay where they are. */
  public void route(int... targetPorts) {
    this.targets = java.util.Arrays.stream(targetPorts).boxed().toList();
  }

  /** While true, a new connection is reset as soon as it is accepted, like a network that refuses it. */
  public void refuseNew(boolean refuse) {
    this.refusing = refuse;
  }

  /** Connections accepted so far (refused ones included): the clients' connection attempts. */
  public int accepted() {
    return accepted.get();
  }

  /** Every open connection is reset, on both sides, as when the network under it goes away. */
  public void cut() {
    links.forEach(ProxyLink::reset);
  }

  /**
   * Open connections still carry what the clients send, but what the nodes send back is dropped:
   * requests reach the node and are acted on, their answers are lost.
   */
  public void dropReplies() {
    links.forEach(l -> l.repliesDropped = true);
  }

  /** Open connections stop carrying bytes, in both directions, and stay open (a network that went dead). */
  public void silence() {
    links.forEach(l -> l.silent = true);
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
      if (refusing) {
        ProxyLink.resetQuietly(client);
        continue;
      }
      Socket upstream = connectFirstLive();
      if (upstream == null) {
        ProxyLink.resetQuietly(client);
        continue;
      }
      ProxyLink link = new ProxyLink(client, upstream, links::remove);
      links.add(link);
      link.start("failover-proxy-pump");
    }
  }

  private Socket connectFirstLive() {
    for (int port : targets) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
        return s;
      } catch (IOException refused) {
        ProxyLink.closeQuietly(s);
      }
    }
    return null;
  }

  @Override
  public void close() {
    ProxyLink.closeQuietly(server);
    links.forEach(ProxyLink::close);
  }
}
