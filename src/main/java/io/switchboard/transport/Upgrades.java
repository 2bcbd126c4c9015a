package io.switchboard.transport;

import io.netty.channel.EventLoop;
import io.vertx.core.internal.ContextInternal;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** What the front door asks of the gateway about WebSocket upgrades. */
public interface Upgrades {

  /**
   * Decides on an upgrade to the WebSocket path before anything is sent back.
   *
   * @return 0 to accept, else the HTTP status to refuse it with (403, 429, 503, ...)
   */
  int check(RequestHead head, SocketAddress remote);

  /** The Vert.x context that owns an event loop: the connection's callbacks run in it. */
  ContextInternal context(EventLoop loop);

  /**
   * An upgraded connection, on its event loop, inside {@link #context}.
   *
   * @param head     the upgrade request (its headers are there to be copied now, not kept)
   * @param clientIp the client's address, behind trusted proxies the one they report
   */
  void accepted(EventLoop loop, Connection connection, RequestHead head, String clientIp);

  /** Counts the upgrade requests waiting for their 101 on every loop (a gauge read off the loops); called once per loop. */
  AtomicInteger upgradesWaiting();

  /** A handshake the front door refused for one of its limits (counted before {@link #check}, which it never reached). */
  default void limited(Limit limit) {
  }

  /** A connection closed for not sending a complete request head in time (slowloris, or a stalled TLS handshake). */
  default void headTimedOut() {
  }

  /** A refusal the front door made itself (a path that is not the WebSocket path). */
  default void notFound() {
  }
}
