package io.switchboard.client.internal;

import io.switchboard.client.Completion;
import io.switchboard.client.ConnectionState;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.PendingSend;
import io.switchboard.client.Position;
import io.switchboard.client.SwitchboardException;
import io.switchboard.client.SwitchboardListener;
import org.json.JSONObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;

/**
 * The client's state machine: its public entry points, and the parts it is made of wired together:
 * the {@link Connection}'s lifecycle, the frames in ({@link Inbound}) and out, the {@link Streams},
 * the {@link Requests} and the {@link Storage}. Their state is confined to one thread (the
 * {@link Loop}): public methods, OkHttp's callbacks and timers all hop onto it, so nothing here
 * needs a lock. Blocking work (the token provider) runs on a second thread; the application's
 * callbacks on its executor, through the {@link Dispatcher}.
 */
public final class Engine {
  /** How long close() and pause() wait for the callbacks already posted before writing positions anyway. */
  private static final long CALLBACK_WAIT_MS = 5000;

  private final Loop loop;
  private final Dispatcher out;
  private final ExecutorService ownCallbackExecutor;
  private final Events events;
  private final Tokens tokens;
  private final Streams streams;
  private final LostRooms lostRooms;
  private final Requests requests;
  private final Storage storage;
  private final Status status;
  private final Connection connection;
  private final Inbound inbound;

  private final Link link = new Link() {
    @Override
    public boolean ready() {
      return connection.ready();
    }

    @Override
    public void send(JSONObject frame) {
      connection.send(frame);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
      return loop.schedule(task, delayMs);
    }

    @Override
    public void onLoop(Runnable task) {
      loop.execute(task);
    }

    @Override
    public boolean takeBudget(long now) {
      return requests.takeBudget(now);
    }

    @Override
    public void schedulePersist() {
      storage.schedulePersist();
    }

    @Override
    public void saveOutbox() {
      storage.saveOutbox();
    }

    @Override
    public boolean follows(String stream) {
      return streams.follows(stream);
    }
  };

  private final Connection.Host host = new Connection.Host() {
    @Override
    public void opening(String subject) {
      streams.positions.forUser(subject);
      requests.failOtherUsers(streams.positions.user);
    }

    @Override
    public JSONObject resumeMap() {
      return streams.positions.resumeMap();
    }

    @Override
    public void frame(String text) {
      inbound.frame(text);
    }

    @Override
    public Map<String, Position> welcomed(long now, String user, JSONObject info) {
      requests.welcomed(now);
      streams.positions.forUser(user);
      return streams.welcome(info != null ? info : new JSONObject());
    }

    @Override
    public List<String> rejoin() {
      return lostRooms.rejoin();
    }

    @Override
    public void online() {
      requests.pump();
      streams.finishCatchupIfIdle();
    }

    @Override
    public void alive(long now) {
      requests.resendTimedOut(now);
    }

    @Override
    public void lost(boolean wasWelcomed) {
      streams.disconnected(wasWelcomed);
      storage.persist(true);
      requests.disconnected();
    }

    @Override
    public void ended(int code, String reason) {
      requests.failWhere(true, ErrorCode.CLOSED, "connection closed: " + reason, code);
      storage.saveOutbox();
    }
  };

  public Engine(Options o) {
    this.requests = new Requests(o, link);
    this.loop = new Loop();
    if (o.callbackExecutor != null) {
      ownCallbackExecutor = null;
      out = new Dispatcher(o.callbackExecutor);
    } else {
      ownCallbackExecutor = Executors.newSingleThreadExecutor(Loop.daemon("switchboard-callbacks"));
      out = new Dispatcher(ownCallbackExecutor);
    }
    this.events = new Events(out);
    this.tokens = new Tokens(o, loop, events);
    this.lostRooms = new LostRooms(requests, out);
    this.streams = new Streams(o, link, events, lostRooms);
    this.status = new Status(events);
    this.connection = new Connection(o, loop, events, status, tokens, host);
    this.inbound = new Inbound(connection, link, streams, requests, events);
    this.storage = new Storage(o, loop, events, out, streams, requests, connection::welcomed);
    // the store is read before anything else the loop does: sends made before connect() queue behind it
    loop.execute(() -> {
      storage.load();
    });
  }

  public Dispatcher dispatcher() {
    return out;
  }

  public void addListener(SwitchboardListener l) {
    events.add(l);
  }

  public void removeListener(SwitchboardListener l) {
    events.remove(l);
  }

  // ---- public entry points: each hops onto the loop ----

  public void connect() {
    loop.execute(connection::start);
  }

  public Completion<Object> send(final String to, final Object body, final String givenId, final boolean transientSend) {
    final Completion<Object> c = new Completion<Object>(out);
    final Object wrapped = Json.wrap(body);
    final String id = transientSend ? givenId : (givenId != null ? givenId : UUID.randomUUID().toString());
    loop.execute(() -> {
      JSONObject f = Json.object();
      Json.put(f, "type", "send");
      Json.put(f, "to", to);
      Json.put(f, "body", wrapped);
      if (id != null) {
        Json.put(f, "id", id);
      }
      if (transientSend) {
        Json.put(f, "transient", true);
      }
      String user = status.user();
      request(new Op(Op.SEND, f, !transientSend, !transientSend, id, c, user != null ? user : streams.positions.user));
    });
    return c;
  }

  public Completion<Object> roomRequest(final String type, final String room) {
    final Completion<Object> c = new Completion<Object>(out);
    loop.execute(() -> {
      JSONObject f = Json.put(Json.put(Json.object(), "type", type), "room", room);
      request(new Op(type, f, true, false, null, c, null));
    });
    return c;
  }

  public Completion<Object> ping() {
    final Completion<Object> c = new Completion<Object>(out);
    loop.execute(() -> {
      request(new Op(Op.PING, Json.put(Json.object(), "type", "ping"), false, false, null, c, null));
    });
    return c;
  }

  /** The sends restored from the store, once it has been read. */
  public Completion<List<PendingSend>> restoredSends() {
    final Completion<List<PendingSend>> c = new Completion<List<PendingSend>>(out);
    loop.execute(() -> {
      c.succeed(storage.restored());
    });
    return c;
  }

  public void networkAvailable() {
    loop.execute(connection::networkAvailable);
  }

  public void networkLost() {
    loop.execute(connection::networkLost);
  }

  public Completion<Void> pause() {
    final Completion<Void> done = new Completion<Void>(out);
    loop.execute(() -> {
      if (!connection.canPause()) {
        done.succeed(null);
        return;
      }
      streams.flushAcks(true);
      connection.pause();
      storage.persist(true);
      connection.paused();
      // messages still waiting for the listener move the positions once it has run them
      afterCallbacks(() -> {
        storage.persist(true);
        done.succeed(null);
      });
    });
    return done;
  }

  public void resume() {
    loop.execute(connection::resume);
  }

  public void reconnect() {
    loop.execute(connection::reconnect);
  }

  public Completion<Void> close() {
    final Completion<Void> done = new Completion<Void>(out);
    loop.execute(() -> {
      if (connection.stopped()) {
        done.succeed(null);
        return;
      }
      streams.flushAcks(true);
      connection.close();
      // the positions of messages still waiting for the listener are written once it has run them
      afterCallbacks(() -> {
        storage.cancelScheduled();
        storage.persist(true);
        loop.shutdown();
        tokens.shutdown();
        connection.shutdown();
        done.succeed(null);
        if (ownCallbackExecutor != null) {
          out.post(ownCallbackExecutor::shutdown);
        }
      });
    });
    return done;
  }

  /**
   * Runs {@code task} on the loop once every callback posted so far has run (and the positions they
   * moved are in); at the latest after {@link #CALLBACK_WAIT_MS}, for an app whose executor stopped.
   */
  private void afterCallbacks(final Runnable task) {
    final boolean[] ran = new boolean[1];
    final Runnable once = () -> {
      if (!ran[0]) {
        ran[0] = true;
        task.run();
      }
    };
    events.then(null, () -> loop.execute(once));
    loop.schedule(once, CALLBACK_WAIT_MS);
  }

  /** Reads a value computed on the loop (the getters of the public API); null once closed. */
  public <T> T query(final Callable<T> q) {
    return loop.query(q);
  }

  public ConnectionState state() {
    return status.state();
  }

  public String user() {
    return status.user();
  }

  public String node() {
    return status.node();
  }

  public String session() {
    return status.session();
  }

  public Map<String, Position> livePositions() {
    return new LinkedHashMap<String, Position>(streams.positions.live);
  }

  public List<String> streams() {
    return streams.followed();
  }

  public int pending() {
    return requests.size();
  }

  // ---- frames out ----

  private void request(Op op) {
    if (connection.stopped()) {
      op.completion.fail(new SwitchboardException(ErrorCode.CLOSED, "the client was closed"));
      return;
    }
    if (status.state() == ConnectionState.CLOSED) {
      op.completion.fail(new SwitchboardException(ErrorCode.CLOSED,
          "the connection was closed for good; call reconnect() first"));
      return;
    }
    if (!op.queue && !connection.welcomed()) {
      op.completion.fail(new SwitchboardException(ErrorCode.OFFLINE,
          "not connected (transient sends and pings are never queued)"));
      return;
    }
    requests.add(op);
  }
}
