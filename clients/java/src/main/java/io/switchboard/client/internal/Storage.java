package io.switchboard.client.internal;

import io.switchboard.client.Completion;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.PendingSend;
import io.switchboard.client.Sent;
import io.switchboard.client.SwitchboardException;
import org.json.JSONObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The client's store: the positions and the outbox read once at start, then written as they change
 * (positions at most every {@code persistIntervalMs}, the outbox when asked). A failing store is
 * reported once until it works again. Confined to the loop thread.
 */
final class Storage {
  /** Welcomed: the positions are stored as of now, not as of the moment the connection was lost. */
  interface Online {
    boolean welcomed();
  }

  private final Options o;
  private final Loop loop;
  private final Events events;
  private final Dispatcher out;
  private final Streams streams;
  private final Requests requests;
  private final Online online;
  private final List<PendingSend> restored = new ArrayList<PendingSend>();
  private boolean loaded;
  private boolean storageFailing;
  private ScheduledFuture<?> persistTimer;

  Storage(Options o, Loop loop, Events events, Dispatcher out, Streams streams, Requests requests, Online online) {
    this.o = o;
    this.loop = loop;
    this.events = events;
    this.out = out;
    this.streams = streams;
    this.requests = requests;
    this.online = online;
  }

  /** Reads the positions and the outbox: the outbox's sends go before any made by this process. */
  void load() {
    String key = o.storeKey();
    try {
      streams.offlineFrom = streams.positions.fromStored(o.store.get(key + ":positions"));
      for (StoredOutbox.Entry e : StoredOutbox.read(o.store.get(key + ":outbox"))) {
        Object body;
        try {
          body = Json.parseValue(e.bodyJson);
        } catch (org.json.JSONException ex) {
          continue;
        }
        JSONObject f = Json.object();
        Json.put(f, "type", "send");
        Json.put(f, "to", e.to);
        Json.put(f, "body", body);
        Json.put(f, "id", e.id);
        Completion<Object> c = new Completion<Object>(out);
        Op op = new Op(Op.SEND, f, true, true, e.id, c, e.user);
        op.firstSentWall = e.firstSentWall;
        requests.restore(op);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Completion<Sent> typed = (Completion) c;
        restored.add(new PendingSend(e.id, e.to, body, typed));
      }
    } catch (Exception e) {
      events.error(new SwitchboardException(ErrorCode.STORAGE, ErrorCode.STORAGE.wire(),
          "could not read the stored positions and outbox: " + e, null, false, 0, e));
    }
    loaded = true;
  }

  /** The sends restored from the store (empty until it has been read). */
  List<PendingSend> restored() {
    return new ArrayList<PendingSend>(restored);
  }

  void schedulePersist() {
    if (persistTimer != null && !persistTimer.isDone()) {
      return;
    }
    persistTimer = loop.schedule(() -> {
      persist(false);
    }, o.persistIntervalMs);
  }

  /** The last write is done by {@link #persist} directly. */
  void cancelScheduled() {
    Loop.cancel(persistTimer);
  }

  void persist(boolean force) {
    if (!loaded) {
      return;
    }
    if (requests.outboxDirty) {
      saveOutbox();
    }
    if (!force && !streams.positions.dirty) {
      return;
    }
    streams.positions.dirty = false;
    long at = online.welcomed() ? System.currentTimeMillis() : streams.offlineFrom;
    try {
      o.store.put(o.storeKey() + ":positions", streams.positions.toStored(at));
      storageFailing = false;
    } catch (Exception e) {
      storageFailed("could not save positions", e);
    }
  }

  void saveOutbox() {
    if (!loaded) {
      return;
    }
    requests.outboxDirty = false;
    try {
      o.store.put(o.storeKey() + ":outbox", StoredOutbox.write(requests.all()));
      storageFailing = false;
    } catch (Exception e) {
      storageFailed("could not save the outbox", e);
    }
  }

  private void storageFailed(String what, Exception e) {
    if (!storageFailing) {
      events.error(new SwitchboardException(ErrorCode.STORAGE, ErrorCode.STORAGE.wire(), what + ": " + e, null, false, 0, e));
    }
    storageFailing = true;
  }
}
