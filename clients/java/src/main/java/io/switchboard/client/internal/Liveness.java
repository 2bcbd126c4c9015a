package io.switchboard.client.internal;

import java.util.concurrent.ScheduledFuture;

/**
 * Whether the socket is still alive, checked on a tick: a welcome within {@code connectTimeoutMs},
 * then a frame at least every two heartbeats, and an answer to the probe sent when the network
 * changed. Confined to the loop thread.
 */
final class Liveness {
  /** The socket the checks are about. */
  interface Socket {
    boolean open();

    boolean welcomed();

    /** Dead: given up on now. */
    void drop(String reason);

    /** Alive and welcomed: requests unanswered too long may go again. */
    void alive(long now);
  }

  private final Options o;
  private final Loop loop;
  private final Socket socket;
  private long openedAt;
  private long lastFrameAt;
  private long probeSentAt;
  private long heartbeat = 25000;
  private ScheduledFuture<?> tickTimer;

  Liveness(Options o, Loop loop, Socket socket) {
    this.o = o;
    this.loop = loop;
    this.socket = socket;
  }

  long heartbeat() {
    return heartbeat;
  }

  /** A socket is being opened: the welcome's time starts now. */
  void opening() {
    probeSentAt = 0;
    openedAt = lastFrameAt = Loop.now();
  }

  void welcomed(long heartbeatMs) {
    heartbeat = heartbeatMs;
    start();
  }

  void frame() {
    lastFrameAt = Loop.now();
  }

  /** @return true when a probe should go now (none is waiting for its answer) */
  boolean probe() {
    if (probeSentAt != 0) {
      return false;
    }
    probeSentAt = Loop.now();
    return true;
  }

  void probeAnswered() {
    probeSentAt = 0;
  }

  void start() {
    Loop.cancel(tickTimer);
    long period = Math.max(50, Math.min(1000, heartbeat / 4));
    tickTimer = loop.every(() -> {
      tick();
    }, period);
  }

  void stop() {
    Loop.cancel(tickTimer);
  }

  private void tick() {
    long t = Loop.now();
    if (!socket.open()) {
      Loop.cancel(tickTimer);
      return;
    }
    boolean welcomed = socket.welcomed();
    if (!welcomed && t - openedAt > o.connectTimeoutMs) {
      socket.drop("no welcome within " + o.connectTimeoutMs + " ms");
      return;
    }
    if (welcomed && t - lastFrameAt > 2 * heartbeat) {
      socket.drop("nothing received for " + (t - lastFrameAt) + " ms (2 x heartbeat " + heartbeat + " ms): connection dead");
      return;
    }
    // the probe's own pong proves the path; frames that were already on the way when it went out do
    // not. A connection still streaming a backlog (a frame within the last second) gets more time.
    if (welcomed && probeSentAt > 0 && t - probeSentAt > Math.min(o.probeTimeoutMs, heartbeat) && t - lastFrameAt > 1000) {
      socket.drop("no answer within " + Math.min(o.probeTimeoutMs, heartbeat) + " ms after the network changed");
      return;
    }
    if (welcomed) {
      socket.alive(t);
    }
  }
}
