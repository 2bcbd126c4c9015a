package io.switchboard.client.internal;

import io.switchboard.client.ConnectionState;
import io.switchboard.client.StateChange;

/**
 * What the application sees of the connection: its state, told to the listeners at each change, and
 * the user, node and session of the last welcome. Written on the loop thread only; volatile, for the
 * public getters that read it from any thread.
 */
final class Status {
  private final Events events;
  private volatile String user;
  private volatile String node;
  private volatile String session;
  private volatile ConnectionState state = ConnectionState.IDLE;

  Status(Events events) {
    this.events = events;
  }

  ConnectionState state() {
    return state;
  }

  String user() {
    return user;
  }

  String node() {
    return node;
  }

  String session() {
    return session;
  }

  void welcomed(String user, String node, String session) {
    this.user = user;
    this.node = node;
    this.session = session;
  }

  void set(ConnectionState s, int code, String reason, long retryAt, long delay, int attempt) {
    state = s;
    final StateChange change = new StateChange(s, code, reason, retryAt, delay, attempt, node);
    events.emit(l -> {
      l.onStateChanged(change);
    });
  }
}
