package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import java.util.ArrayList;
import java.util.List;

/** The clients of one worker that share a protocol, a server, a source address and a room. */
final class Group {

  final Vertx vertx;
  final Proto proto;
  final WebSocketClient client;
  final Stats stats;
  final Jwt jwt;
  final String room;
  final List<Conn> conns = new ArrayList<>();
  volatile String failoverHost;
  volatile int failoverPort;
  volatile long jitterMs;
  volatile boolean closing;
  volatile boolean stopSending;

  Group(Vertx vertx, Proto proto, String localAddress, String room, Stats stats, Jwt jwt) {
    this.vertx = vertx;
    this.proto = proto;
    this.room = room;
    this.stats = stats;
    this.jwt = jwt;
    // no client-side idle timeout: an idle connection is what scenario 1 measures
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(localAddress)
        .setMaxConnections(200_000).setConnectTimeout(30_000).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
  }

  List<Conn> open() {
    List<Conn> out = new ArrayList<>();
    for (Conn c : conns) {
      if (c.open()) {
        out.add(c);
      }
    }
    return out;
  }

  void close() {
    closing = true;
    conns.forEach(Conn::close);
    client.close();
  }
}
