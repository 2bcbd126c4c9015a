package io.switchboard.transport;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * Flushes, once per event-loop task, every socket written to during it: a fan-out of one message to
 * thousands of sockets costs one flush (one system call) per socket, and a burst of messages to one
 * socket costs one flush for all of them.
 */
final class Flusher implements Runnable {

  private final EventLoop loop;
  private final List<NettyWebSocket> dirty = new ArrayList<>();
  private boolean scheduled;

  Flusher(EventLoop loop) {
    this.loop = loop;
  }

  void flushLater(NettyWebSocket socket) {
    if (socket.flushPending) {
      return;
    }
    socket.flushPending = true;
    dirty.add(socket);
    if (!scheduled) {
      scheduled = true;
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    for (int i = 0; i < dirty.size(); i++) {
      NettyWebSocket s = dirty.get(i);
      s.flushPending = false;
      s.channel.flush();
    }
    dirty.clear();
  }
}
