package io.switchboard.routing;

import io.switchboard.store.AppendRequest;
import io.switchboard.store.MessageLog;
import io.vertx.core.Future;

/**
 * Control events go through a log like messages do: appended to the internal stream
 * {@link #STREAM}, then published on {@link Addresses#CONTROL}. The bus may lose the publish; every
 * event loop then finds the event in the log ({@link ControlChannel}), so a kick or a join takes
 * effect within the repair bound whatever happened to it in transit.
 */
public final class ControlLog {

  /** Not a valid client stream name, so no client can send to it, follow it or read it. */
  public static final String STREAM = "_control";
  /** The sender recorded with control entries. */
  static final String FROM = "_node";

  private final MessageLog log;
  private final StreamBus bus;

  public ControlLog(MessageLog log, StreamBus bus) {
    this.log = log;
    this.bus = bus;
  }

  /** Completes once the event is in the log (and handed to the bus): from then on it takes effect. */
  public Future<Void> publish(ControlEvent event) {
    return log.append(new AppendRequest(STREAM, FROM, event.toJson(), null)).map(r -> {
      bus.publish(Delivery.control(r.message()));
      return null;
    });
  }
}
