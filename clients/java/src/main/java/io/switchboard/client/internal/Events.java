package io.switchboard.client.internal;

import io.switchboard.client.SwitchboardException;
import io.switchboard.client.SwitchboardListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The application's listeners, called through the {@link Dispatcher}: in order, one at a time. */
final class Events {
  private static final Logger LOG = Logger.getLogger("io.switchboard.client");

  /** One application callback, given each listener. */
  interface Event {
    void to(SwitchboardListener l);
  }

  private final Dispatcher out;
  private final List<SwitchboardListener> listeners = new CopyOnWriteArrayList<SwitchboardListener>();

  Events(Dispatcher out) {
    this.out = out;
  }

  void add(SwitchboardListener l) {
    listeners.add(l);
  }

  void remove(SwitchboardListener l) {
    listeners.remove(l);
  }

  void emit(Event event) {
    then(event, null);
  }

  /**
   * Delivers {@code event} (may be null), then runs {@code afterwards} on the callback executor:
   * once every event posted before has been delivered too.
   */
  void then(final Event event, final Runnable afterwards) {
    final List<SwitchboardListener> ls = new ArrayList<SwitchboardListener>(listeners);
    out.post(() -> {
      if (event != null) {
        for (SwitchboardListener l : ls) {
          try {
            event.to(l);
          } catch (Throwable t) {
            // one listener that throws must not stop delivery to the others, nor the position moving on
            LOG.log(Level.WARNING, "a SwitchboardListener threw", t);
          }
        }
      }
      if (afterwards != null) {
        afterwards.run();
      }
    });
  }

  void error(final SwitchboardException e) {
    emit(l -> l.onError(e));
  }
}
