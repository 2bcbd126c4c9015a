package io.switchboard.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Who a connection is, for the per-IP limits: the TCP peer, or, when the peer is a trusted proxy,
 * the right-most address of X-Forwarded-For that is not itself a trusted proxy. Everything left of
 * that was written by the client and proves nothing.
 */
final class ClientIps {

  private final List<IpRange> trusted;

  ClientIps(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(IpRange::parse).toList();
  }

  /** @return the key the per-IP limits count under */
  String resolve(SocketAddress remote, String forwardedFor) {
    if (!(remote instanceof InetSocketAddress socket) || socket.getAddress() == null) {
      return String.valueOf(remote);
    }
    InetAddress client = socket.getAddress();
    if (forwardedFor != null && isTrusted(client)) {
      String[] hops = forwardedFor.split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        InetAddress hop = IpRange.address(stripPort(hops[i].trim()));
        if (hop == null) {
          // not an address: whoever wrote it is not to be believed, the last hop that was stays
          break;
        }
        client = hop;
        if (!isTrusted(hop)) {
          break;
        }
      }
    }
    return key(client);
  }

  private boolean isTrusted(InetAddress address) {
    for (IpRange range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * IPv4 by address; IPv6 by its /64, since one subscriber commonly holds a whole /64 and could
   * otherwise take a fresh address for every connection.
   */
  static String key(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return s.append(":/64").toString();
    }
    return address.getHostAddress();
  }

  /** "[2001:db8::1]:443" and "192.0.2.1:8080" (some proxies add the port) to the bare address. */
  private static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      return close < 0 ? hop : hop.substring(1, close);
    }
    int colon = hop.indexOf(':');
    if (colon > 0 && colon == hop.lastIndexOf(':')) {
      return hop.substring(0, colon);
    }
    return hop;
  }
}
