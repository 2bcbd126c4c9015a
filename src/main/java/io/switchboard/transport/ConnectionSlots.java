package io.switchboard.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSocket connections open on the node, in all and per client IP, exact across event loops: a
 * slot is taken at the handshake and given back when the channel closes.
 */
final class ConnectionSlots {

  private final int max;
  private final int maxPerIp;
  private final AtomicInteger open = new AtomicInteger();
  /** An IP is here only while it holds a connection, so the map is as large as the connections. */
  private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();

  ConnectionSlots(int max, int maxPerIp) {
    this.max = max;
    this.maxPerIp = maxPerIp;
  }

  /** @return null when a slot was taken for {@code ip}, else the limit that refused it */
  Limit take(String ip) {
    int n;
    do {
      n = open.get();
      if (n >= max) {
        return Limit.CAPACITY;
      }
    } while (!open.compareAndSet(n, n + 1));
    boolean[] taken = {false};
    perIp.compute(ip, (k, count) -> {
      int c = count == null ? 0 : count;
      if (c >= maxPerIp) {
        return count;
      }
      taken[0] = true;
      return c + 1;
    });
    if (!taken[0]) {
      open.decrementAndGet();
      return Limit.IP_CONNECTIONS;
    }
    return null;
  }

  void release(String ip) {
    perIp.computeIfPresent(ip, (k, count) -> count <= 1 ? null : count - 1);
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }

  int trackedIps() {
    return perIp.size();
  }
}
