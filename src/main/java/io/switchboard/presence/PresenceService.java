package io.switchboard.presence;

import io.switchboard.config.PresenceOptions;
import io.switchboard.routing.Delivery;
import io.switchboard.routing.StreamBus;
import io.switchboard.webhooks.WebhookEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the registry current and tells rooms when a member comes, goes, joins or leaves.
 *
 * <p>Operations on one session run one after the other, in the order they were asked (a close asked
 * while the open is still on its way waits for it), so that idempotent operations also land in the
 * right order. A close that fails is retried until it succeeds or the node stops: a session the
 * registry keeps open on a live node would stay "online" for good, since nobody sweeps live nodes.
 */
public final class PresenceService {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);
  /** A close attempt not answered by then counts as failed; being idempotent, a late success is harmless. */
  static final long ATTEMPT_MS = 5_000;
  static final long FIRST_RETRY_MS = 100;
  static final long MAX_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final PresenceRegistry registry;
  private final StreamBus bus;
  private final PresenceOptions options;
  private final WebhookEvents webhooks;
  /** Registry calls not finished yet (a drain waits for them). */
  private final Set<Future<?>> pending = ConcurrentHashMap.newKeySet();
  /** The last operation asked for each session that has one in flight. */
  private final ConcurrentHashMap<String, Link> inFlight = new ConcurrentHashMap<>();
  private volatile LocalSessions local = LocalSessions.NONE;
  private volatile boolean stopped;
  /** Sessions opened since the running reconciliation started; null when none runs. */
  private volatile Set<String> openedSince;
  private Future<Void> reconciling;
  /** Answer of the run asked for while one was running; null when none was asked. */
  private Promise<Void> reconcileAgain;
  private long reconcileBackoffMs = FIRST_RETRY_MS;

  public PresenceService(Vertx vertx, PresenceRegistry registry, StreamBus bus, PresenceOptions options) {
    this(vertx, registry, bus, options, WebhookEvents.NONE);
  }

  /** @param webhooks told when a user comes online (first session) and goes offline (last session) */
  public PresenceService(Vertx vertx, PresenceRegistry registry, StreamBus bus, PresenceOptions options,
                         WebhookEvents webhooks) {
    this.vertx = vertx;
    this.registry = registry;
    this.bus = bus;
    this.options = options;
    this.webhooks = webhooks;
    // users whose node died went offline without closing: their rooms are told all the same
    registry.onLost((user, rooms) -> {
      webhooks.offline(user);
      announce(rooms, user, false);
    });
    registry.onMerged(this::reconcile);
  }

  public PresenceRegistry registry() {
    return registry;
  }

  /** Where the node's open sessions are listed (the gateway sets it once its loops run). */
  public void localSessions(LocalSessions sessions) {
    this.local = sessions;
  }

  /**
   * @return true when the user just came online (their rooms have been told). On failure whatever
   *     the call may have left in the registry is closed again, as the session will not be counted.
   */
  public Future<Boolean> opened(String session, String user, Collection<String> rooms) {
    return open(session, user, rooms, 0).map(PresenceRegistry.Opened::first);
  }

  /**
   * Like {@link #opened}, for a hello: answers the rooms' online lists as {@link #rooms} would read
   * them right after the count (the user among them) when the count could tell them with the same
   * call, else null (then they are to be read).
   */
  public Future<Map<String, RoomPresence>> openedListing(String session, String user, Collection<String> rooms) {
    return open(session, user, rooms, options.getMaxListed()).map(PresenceRegistry.Opened::online);
  }

  private Future<PresenceRegistry.Opened> open(String session, String user, Collection<String> rooms, int limit) {
    Set<String> since = openedSince;
    if (since != null) {
      since.add(session);
    }
    Future<PresenceRegistry.Opened> done = queue(session, true, user, rooms, () -> registry
        .sessionOpened(session, user, rooms, limit).map(opened -> {
          if (opened.first()) {
            webhooks.online(user);
          }
          if (opened.first() && opened.counts() != null) {
            rooms.forEach(room -> tell(room, opened.counts().getOrDefault(room, 0), user, true));
          } else if (opened.first()) {
            announce(rooms, user, true);
          }
          return opened;
        }));
    done.onFailure(e -> closed(session, user, rooms));
    return done;
  }

  /** @return true when the user went offline; retried until the registry answers or the node stops */
  public Future<Boolean> closed(String session, String user, Collection<String> rooms) {
    return queue(session, false, user, rooms, () -> {
      Promise<Boolean> done = Promise.promise();
      attemptClose(session, user, rooms, 1, FIRST_RETRY_MS, done);
      return done.future();
    });
  }

  private void attemptClose(String session, String user, Collection<String> rooms, int attempt, long backoffMs,
                            Promise<Boolean> done) {
    registry.sessionClosed(session, user, rooms).timeout(ATTEMPT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded()) {
        // an earlier attempt may have closed the session and failed before the rooms heard it
        boolean offline = ar.result() == PresenceRegistry.Closed.WENT_OFFLINE
            || ar.result() == PresenceRegistry.Closed.WAS_OFFLINE && attempt > 1;
        if (offline) {
          webhooks.offline(user);
          announce(rooms, user, false);
        }
        done.complete(offline);
      } else if (stopped) {
        done.fail(ar.cause());
      } else {
        if (attempt == 1) {
          LOG.warn("presence of session " + session + " (" + user + ") not closed yet, retrying: " + ar.cause().getMessage());
        }
        vertx.setTimer(backoffMs, t -> attemptClose(session, user, rooms, attempt + 1, Math.min(backoffMs * 2, MAX_RETRY_MS), done));
      }
    });
  }

  public Future<Void> joined(String room, String user) {
    return track(registry.joined(room, user).onSuccess(v -> announce(room, user, true)));
  }

  public Future<Void> left(String room, String user) {
    return track(registry.left(room, user).onSuccess(v -> announce(room, user, false)));
  }

  /**
   * Makes the registry hold exactly this node's open sessions: writes each again (its rooms too),
   * and closes those it holds that the node no longer has. Run after Hazelcast merged a split
   * cluster or lost entries; one at a time, and until it succeeds. Asked while one runs, it runs
   * again once that one is done, and the answer is that second run's: the first may have read the
   * registry before whatever made it ask.
   */
  public Future<Void> reconcile() {
    Promise<Void> done;
    synchronized (this) {
      if (reconciling != null) {
        if (reconcileAgain == null) {
          reconcileAgain = Promise.promise();
        }
        return reconcileAgain.future();
      }
      done = Promise.promise();
      reconciling = done.future();
      openedSince = ConcurrentHashMap.newKeySet();
    }
    reconcileOnce().onComplete(ar -> {
      Promise<Void> again;
      long retryMs = 0;
      synchronized (this) {
        again = reconcileAgain;
        reconcileAgain = null;
        reconciling = null;
        openedSince = null;
        if (ar.succeeded()) {
          reconcileBackoffMs = FIRST_RETRY_MS;
        } else if (!stopped) {
          retryMs = reconcileBackoffMs;
          reconcileBackoffMs = Math.min(reconcileBackoffMs * 2, MAX_RETRY_MS);
        }
      }
      if (ar.failed()) {
        LOG.warn("presence of this node's sessions not written again yet" + (retryMs > 0 ? ", retrying" : "") + ": "
            + ar.cause().getMessage());
      }
      if (retryMs > 0) {
        Promise<Void> retried = again;
        vertx.setTimer(retryMs, t -> {
          Future<Void> next = reconcile();
          if (retried != null) {
            next.onComplete(retried);
          }
        });
      } else if (again != null) {
        reconcile().onComplete(again);
      }
      done.handle(ar);
    });
    return track(done.future());
  }

  private Future<Void> reconcileOnce() {
    Set<String> kept = ConcurrentHashMap.newKeySet();
    Queue<Future<?>> writes = new ConcurrentLinkedQueue<>();
    // sessions still in their hello are written again after their own opening, whatever it did
    inFlight.forEach((session, link) -> {
      if (link.open) {
        kept.add(session);
        writes.add(republish(session, link.user, link.rooms));
      }
    });
    return local.forEachCounted((session, user, rooms) -> {
      kept.add(session);
      writes.add(republish(session, user, rooms));
    }).compose(v -> Future.join(new ArrayList<>(writes))).compose(v -> registry.ownSessions()).compose(held -> {
      Set<String> since = openedSince;
      List<Future<?>> closes = new ArrayList<>();
      held.forEach((user, h) -> h.sessions().forEach(session -> {
        Link link = inFlight.get(session);
        if (!kept.contains(session) && (since == null || !since.contains(session)) && (link == null || !link.open)) {
          // closed here meanwhile, or never heard of since the merge brought it back
          closes.add(closed(session, user, h.rooms()));
        }
      }));
      return Future.join(closes).mapEmpty();
    });
  }

  private Future<Boolean> republish(String session, String user, Collection<String> rooms) {
    return queue(session, true, user, rooms, () -> registry.sessionRepublished(session, user, rooms).onSuccess(cameBack -> {
      if (cameBack) {
        webhooks.online(user);
        announce(rooms, user, true);
      }
    }));
  }

  /**
   * Completes once every presence update started so far is done, announcements included: a
   * draining node waits for it, or the offline of its last sessions could leave with the process.
   */
  public Future<Void> settled() {
    return Future.join(new ArrayList<>(pending)).mapEmpty();
  }

  /** The node stops: failed closes are no longer retried, and the registry lets go of Hazelcast. */
  public void close() {
    stopped = true;
    registry.close();
  }

  /** Runs {@code op} once every operation asked before for the same session is done. */
  private <T> Future<T> queue(String session, boolean open, String user, Collection<String> rooms,
                              Supplier<Future<T>> op) {
    Promise<T> result = Promise.promise();
    Link link = new Link(open, user, rooms, result.future());
    Link before = inFlight.put(session, link);
    Runnable start = () -> {
      try {
        op.get().onComplete(result);
      } catch (RuntimeException e) {
        result.fail(e);
      }
    };
    if (before == null) {
      start.run();
    } else {
      before.done.onComplete(ar -> start.run());
    }
    result.future().onComplete(ar -> inFlight.remove(session, link));
    return track(result.future());
  }

  private <T> Future<T> track(Future<T> f) {
    if (!f.isComplete()) {
      pending.add(f);
      f.onComplete(ar -> pending.remove(f));
    }
    return f;
  }

  /**
   * Online members of a room, listed up to presence.maxListed. Never fails: presence is best effort
   * and must not cost a join its answer, so an unreachable registry reads as an empty room.
   */
  public Future<RoomPresence> room(String room) {
    return registry.room(room, options.getMaxListed()).recover(e -> {
      LOG.warn("presence of room " + room + " unavailable: " + e.getMessage());
      return Future.succeededFuture(RoomPresence.EMPTY);
    });
  }

  /**
   * Online members of each room, as {@link #room} lists them; read in one call per member holding
   * some of them. An unreachable registry reads as empty rooms.
   */
  public Future<Map<String, RoomPresence>> rooms(Collection<String> rooms) {
    return registry.rooms(rooms, options.getMaxListed()).recover(e -> {
      LOG.warn("presence of " + rooms.size() + " room(s) unavailable: " + e.getMessage());
      return Future.succeededFuture(Map.of());
    });
  }

  /** Tells each room of the user's change; the rooms' counts are read in one call. */
  private void announce(Collection<String> rooms, String user, boolean online) {
    if (rooms.size() == 1) {
      announce(rooms.iterator().next(), user, online);
    } else if (!rooms.isEmpty()) {
      track(registry.rooms(rooms, 0).onSuccess(counts ->
          rooms.forEach(room -> tell(room, counts.getOrDefault(room, RoomPresence.EMPTY).count(), user, online))));
    }
  }

  private void announce(String room, String user, boolean online) {
    track(registry.room(room, 0).onSuccess(p -> tell(room, p.count(), user, online)));
  }

  /** Rooms with more online than presence.maxRoomOnline hear no presence frames. */
  private void tell(String room, int online, String user, boolean cameOnline) {
    if (online <= options.getMaxRoomOnline()) {
      bus.publish(Delivery.presence(room, user, cameOnline));
    }
  }

  /** An operation asked for a session; identity, not value, tells two apart. */
  private static final class Link {
    final boolean open;
    final String user;
    final Collection<String> rooms;
    final Future<?> done;

    Link(boolean open, String user, Collection<String> rooms, Future<?> done) {
      this.open = open;
      this.user = user;
      this.rooms = rooms;
      this.done = done;
    }
  }
}
