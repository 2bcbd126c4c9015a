package io.switchboard.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/** Node-wide facts that readiness depends on. */
public final class NodeState {

  private final int gateways;
  private final AtomicInteger listening = new AtomicInteger();
  private volatile boolean draining;

  public NodeState(int gateways) {
    this.gateways = gateways;
  }

  void gatewayListening() {
    listening.incrementAndGet();
  }

  void gatewayStopped() {
    listening.decrementAndGet();
  }

  /** All gateway loops listen and the node is not draining. */
  public boolean accepting() {
    return !draining && listening.get() >= gateways;
  }

  public boolean draining() {
    return draining;
  }

  public void draining(boolean draining) {
    this.draining = draining;
  }
}
