package io.switchboard.client.java;

import io.switchboard.client.Completion;
import io.switchboard.client.ConnectionState;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.FileStore;
import io.switchboard.client.Joined;
import io.switchboard.client.PendingSend;
import io.switchboard.client.Reset;
import io.switchboard.client.SendOptions;
import io.switchboard.client.Sent;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.SwitchboardException;
import io.switchboard.support.FailoverProxy;
import io.switchboard.support.NodeProcess;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms before the outbox, against real node processes: a send to a room goes out only once the
 * session follows the room, so the node never refuses a send the application queued right after
 * its join; and a node that lost its store (an in-memory node restarted) has forgotten the client's
 * rooms, so the client joins again the rooms its queued sends are for, ahead of them, and says when
 * the room's history is gone (a reset). The JavaScript client's memberships test, for this client.
 */
class JavaClientRoomsIT {

  static final String KEY = "java-client-rooms-it-key-0123456789";
  static final long WAIT_MS = 20_000;

  final List<SwitchboardClient> clients = new ArrayList<>();
  final List<NodeProcess> nodes = new ArrayList<>();
  final List<FailoverProxy> proxies = new ArrayList<>();
  final List<JavaClientOutboxIT.Child> children = new ArrayList<>();
  final NodeApi api = new NodeApi(KEY);

  @AfterEach
  void cleanUp() throws Exception {
    children.forEach(JavaClientOutboxIT.Child::kill);
    for (SwitchboardClient c : clients) {
      c.close();
    }
    proxies.forEach(FailoverProxy::close);
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  NodeProcess node(String name, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("SB_JWT_SECRET", TestNode.SECRET, "SB_API_KEYS", KEY));
    all.putAll(env);
    NodeProcess n = NodeProcess.start(name, List.of(), all);
    nodes.add(n);
    return n.awaitReady();
  }

  /** The address the client keeps while the node behind it is replaced. */
  FailoverProxy proxyTo(NodeProcess node) {
    FailoverProxy p = new FailoverProxy(node.port());
    proxies.add(p);
    return p;
  }

  SwitchboardClient client(String url, String user, Recorder rec) {
    SwitchboardClient c = SwitchboardClient.builder(url).tokenProvider(() -> Tokens.user(user).sign())
        .device(user + "-phone").listener(rec).backoff(200, 1_000).build();
    clients.add(c);
    return c;
  }

  /** A node's settings for {@code backend} as its join proxy, each join waiting up to a minute for it. */
  static Map<String, String> joinProxy(HeldJoins backend) {
    return Map.of("SB_PROXY_JOIN_URL", backend.url(), "SB_PROXY_JOIN_TIMEOUT_MS", "60000",
        "SB_BACKEND_SECRETS", "java-client-rooms-it-backend-secret-0123456789");
  }

  static <T> T await(Completion<T> c) throws Exception {
    return c.await(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  @Test
  void sendsMadeRightAfterAJoinOrALeaveWaitForItsAnswer() throws Exception {
    NodeProcess node = node("jc-rooms", Map.of());
    String url = "ws://127.0.0.1:" + node.port() + "/ws";
    String user = "rm-ada";
    Recorder rec = new Recorder(user);
    SwitchboardClient c = client(url, user, rec);

    // made before connect, the join after the send: an app that joins its rooms when welcomed
    Completion<Sent> early = c.send("room:rm-early", "sent before its join was made");
    Completion<Joined> earlyJoin = c.join("rm-early");
    c.connect();
    assertEquals(1, await(early).getSeq(), rec.toString());
    assertEquals("rm-early", await(earlyJoin).getRoom());

    // on a live connection, each send right behind its join, nothing awaited in between: the node
    // answers a join once it recorded it, and checks membership when a send arrives
    int rooms = 20;
    List<Completion<Sent>> sends = new ArrayList<>();
    for (int i = 0; i < rooms; i++) {
      c.join("rm-live-" + i);
      sends.add(c.send("room:rm-live-" + i, new JSONObject().put("i", i)));
    }
    for (int i = 0; i < rooms; i++) {
      assertEquals(1, await(sends.get(i)).getSeq(), "room " + i + ": " + rec);
    }

    // a send queued behind a leave of its room goes once the leave is answered, and is refused
    c.leave("rm-live-0");
    SwitchboardException refused = assertThrows(SwitchboardException.class,
        () -> await(c.send("room:rm-live-0", "after the leave")));
    assertEquals(ErrorCode.FORBIDDEN, refused.getCode());
    assertEquals(1, api.history(node, "room:rm-live-0").size(), "nothing stored after the leave");
    assertEquals(rooms, c.getRooms().size(), "rm-early and rm-live-1..19: " + c.getRooms());
    assertTrue(c.getRooms().contains("rm-early") && !c.getRooms().contains("rm-live-0"), c.getRooms().toString());
    assertEquals(List.of(), rec.errors, rec.toString());
  }

  @Test
  void aNodeRestartedOnAnEmptyStoreHasTheRoomJoinedAgainBeforeTheWaitingSend() throws Exception {
    NodeProcess first = node("jc-rooms-a", Map.of());
    FailoverProxy proxy = proxyTo(first);
    String user = "rm-bea";
    String room = "rm-restart";
    String stream = "room:" + room;
    Recorder rec = new Recorder(user);
    SwitchboardClient c = client(proxy.wsUrl(), user, rec);
    c.connect();
    await(c.join(room));
    // lost as well, with nothing queued for it: not joined again (a leave elsewhere looks the same)
    await(c.join("rm-quiet"));
    assertEquals(1, await(c.send(stream, "before the restart")).getSeq());
    rec.await("the first message back", WAIT_MS, () -> rec.messages(stream).size() == 1);

    int mark = rec.mark();
    assertEquals(0, first.stop(Duration.ofSeconds(30)));
    rec.awaitState(mark, ConnectionState.OFFLINE, WAIT_MS);
    Completion<Sent> waiting = c.send(stream, "typed while the node was down", new SendOptions().setId("typed-" + user));
    // the same address, a node that never heard of the room
    NodeProcess second = node("jc-rooms-b", Map.of());
    proxy.route(second.port());

    Sent sent = await(waiting);
    assertEquals(1, sent.getSeq(), "seq 1 of the room's new history: " + rec);
    assertEquals(Map.of("typed-" + user, 1L), api.storedOnce(second, stream), "stored once");
    rec.await("the message delivered back to its room", WAIT_MS, () -> rec.messages(stream).size() == 2);
    assertEquals(List.of(), rec.errors, "the send was not refused: " + rec);
    assertEquals(List.of(room), rec.welcomes.get(rec.welcomes.size() - 1).getRejoining());
    assertEquals(1, rec.joined.size(), rec.toString());
    Set<String> positions = c.getPositions().keySet();
    assertTrue(positions.contains(stream) && !positions.contains("room:rm-quiet"), "rm-quiet stays lost: " + positions);
    assertEquals(List.of(room), c.getRooms(), "rm-quiet stays lost");
    assertEquals(List.of("all", stream, "user:" + user), c.getStreams());
    Joined restored = rec.joined.get(0);
    assertTrue(restored.isRestored() && !restored.isElsewhere() && restored.getRoom().equals(room), restored.toString());
    assertEquals(1, rec.resets.size(), "the room's history is gone: a reset " + rec);
    Reset reset = rec.resets.get(0);
    assertEquals(stream, reset.getStream());
    assertEquals(Long.valueOf(1), reset.getLast(), "it held seq 1 of the old history");
    assertEquals(restored.getEpoch(), reset.getEpoch());

    // the room's new history keeps coming
    Recorder other = new Recorder("rm-cat");
    SwitchboardClient d = client("ws://127.0.0.1:" + second.port() + "/ws", "rm-cat", other);
    d.connect();
    await(d.join(room));
    await(d.send(stream, "after"));
    rec.await("a later message", WAIT_MS, () -> rec.messages(stream).size() == 3);
  }

  @Test
  void aRejoinTheNodeRefusesIsAnErrorAndTheWaitingSendGetsTheNodesAnswer() throws Exception {
    NodeProcess first = node("jc-rooms-c", Map.of());
    FailoverProxy proxy = proxyTo(first);
    String user = "rm-dan";
    String stream = "room:rm-refused";
    Recorder rec = new Recorder(user);
    SwitchboardClient c = client(proxy.wsUrl(), user, rec);
    c.connect();
    await(c.join("rm-refused"));
    await(c.send(stream, "before the restart"));

    int mark = rec.mark();
    first.kill();
    rec.awaitState(mark, ConnectionState.OFFLINE, WAIT_MS);
    Completion<Sent> waiting = c.send(stream, "typed while the node was down");
    Completion<Sent> unrelated = c.send("user:rm-eve", "a direct message");
    // one room per user on the new node, and the user already in another one there
    NodeProcess second = node("jc-rooms-d", Map.of("SB_MAX_ROOMS_PER_USER", "1"));
    SwitchboardClient tab = SwitchboardClient.builder("ws://127.0.0.1:" + second.port() + "/ws")
        .token(Tokens.user(user).sign()).build();
    clients.add(tab);
    tab.connect();
    await(tab.join("rm-other"));
    proxy.route(second.port());

    SwitchboardException e = assertThrows(SwitchboardException.class, () -> await(waiting));
    assertEquals(ErrorCode.FORBIDDEN, e.getCode(), "the node's answer to the send: " + rec);
    assertEquals(1, await(unrelated).getSeq(), "other sends are not held");
    assertEquals(List.of("rm-refused"), rec.welcomes.get(rec.welcomes.size() - 1).getRejoining());
    rec.await("the failed rejoin reported", WAIT_MS, () -> !rec.errors.isEmpty());
    assertEquals(1, rec.errors.size(), rec.toString());
    assertEquals(ErrorCode.FORBIDDEN, rec.errors.get(0).getCode());
    assertTrue(rec.errors.get(0).getMessage().contains("could not join rm-refused again"), rec.errors.get(0).getMessage());
    assertEquals(List.of(), api.history(second, stream), "nothing stored for the room");
  }

  @Test
  void aConnectionLostBeforeTheRejoinIsAnsweredHasTheJoinSentAgainOnceByTheNextWelcome() throws Exception {
    try (HeldJoins backend = new HeldJoins()) {
      Map<String, String> env = joinProxy(backend);
      NodeProcess first = node("jc-rooms-e", env);
      FailoverProxy proxy = proxyTo(first);
      String user = "rm-fay";
      String room = "rm-slow";
      String stream = "room:" + room;
      Recorder rec = new Recorder(user);
      // the token allows no room: each join asks the backend, which the test answers when it wants
      SwitchboardClient c = SwitchboardClient.builder(proxy.wsUrl()).tokenProvider(() -> Tokens.user(user).rooms("none-*").sign())
          .device(user + "-phone").listener(rec).backoff(200, 1_000).build();
      clients.add(c);
      c.connect();
      await(c.join(room));
      await(c.send(stream, "before the restart"));
      rec.await("the first message back", WAIT_MS, () -> rec.messages(stream).size() == 1);

      int mark = rec.mark();
      first.kill();
      rec.awaitState(mark, ConnectionState.OFFLINE, WAIT_MS);
      Completion<Sent> waiting = c.send(stream, "typed while the node was down", new SendOptions().setId("typed-" + user));
      backend.hold();
      NodeProcess second = node("jc-rooms-f", env);
      proxy.route(second.port());
      backend.awaitAsked(2);
      // gone before the join is answered (a node restarting twice, a phone changing networks)
      mark = rec.mark();
      proxy.cut();
      rec.awaitState(mark, ConnectionState.OFFLINE, WAIT_MS);
      backend.awaitAsked(3);
      backend.release();

      assertEquals(1, await(waiting).getSeq(), rec.toString());
      assertEquals(Map.of("typed-" + user, 1L), api.storedOnce(second, stream), "stored once");
      List<List<String>> rejoining = rec.welcomes.stream().map(w -> w.getRejoining()).toList();
      assertEquals(List.of(List.of(), List.of(room), List.of(room)), rejoining, "each welcome since names the room " + rec);
      assertEquals(3, backend.asked(), "the join sent again once, by the new welcome");
      assertEquals(1, rec.resets.size(), "the lost history is still a reset " + rec);
      assertEquals(Long.valueOf(1), rec.resets.get(0).getLast());
      assertEquals(1, rec.joined.size(), rec.toString());
      assertTrue(rec.joined.get(0).isRestored(), rec.toString());
      assertEquals(List.of(), rec.errors, rec.toString());
    }
  }

  @Test
  void anAppKilledWhileTheRejoinWaitsLeavesTheNextProcessToJoinAgainForTheSendItRestores(@TempDir Path dir)
      throws Exception {
    try (HeldJoins backend = new HeldJoins()) {
      Map<String, String> env = joinProxy(backend);
      NodeProcess first = node("jc-rooms-g", env);
      FailoverProxy proxy = proxyTo(first);
      String user = "rm-gil";
      String room = "rm-killed";
      String stream = "room:" + room;
      String device = user + "-phone";
      String token = Tokens.user(user).rooms("none-*").sign();
      JavaClientOutboxIT.Child app = JavaClientOutboxIT.Child.start(proxy.wsUrl(), dir, token, device);
      children.add(app);
      app.await("STATE ONLINE");
      app.command("join " + room);
      app.await("JOINED " + room);
      app.command("send " + stream + " 1 before-");
      app.await("DONE before-0 1");

      first.kill();
      app.await("STATE OFFLINE");
      app.command("send " + stream + " 1 typed-");
      app.await("QUEUED 1");
      backend.hold();
      NodeProcess second = node("jc-rooms-h", env);
      proxy.route(second.port());
      app.await("WELCOME [" + room + "]");
      backend.awaitAsked(2);
      // killed while the rejoin waits, its positions written as an app put away writes them
      app.command("pause");
      app.await("PAUSED");
      app.kill();
      assertEquals(List.of(), app.lines("DONE typed-0"), "the send had no answer");
      backend.release();

      Recorder rec = new Recorder(user + " restarted");
      SwitchboardClient c = SwitchboardClient.builder(proxy.wsUrl()).token(token).device(device)
          .store(new FileStore(dir.toFile())).listener(rec).backoff(200, 1_000).build();
      clients.add(c);
      try {
        List<PendingSend> restored = await(c.restoredSends());
        assertEquals(List.of("typed-0"), restored.stream().map(PendingSend::getId).toList());
        c.connect();
        assertEquals(1, await(restored.get(0).getCompletion()).getSeq(), rec.toString());
        assertEquals(Map.of("typed-0", 1L), api.storedOnce(second, stream), "stored once");
        assertEquals(List.of(room), rec.welcomes.get(0).getRejoining(), "the stored position says the room was followed");
        assertEquals(List.of(), rec.errors, rec.toString());
      } finally {
        // close() writes to the store's folder: done before the temporary folder is deleted
        c.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A join proxy (docs/proxies.md) that allows every join, at once or, once held, when the test releases them. */
  static final class HeldJoins implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean holding;

    HeldJoins() {
      server = vertx.createHttpServer().requestHandler(req -> {
        asked.incrementAndGet();
        if (holding) {
          held.add(req);
        } else {
          req.response().setStatusCode(204).end();
        }
      }).listen(0, "127.0.0.1").await();
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/join";
    }

    void hold() {
      holding = true;
    }

    int asked() {
      return asked.get();
    }

    void awaitAsked(int n) {
      Recorder.until("the join proxy to be asked " + n + " times", WAIT_MS, () -> asked.get() >= n, () -> "asked " + asked.get());
    }

    /** Answers what was held, and everything from now on. */
    void release() {
      holding = false;
      held.forEach(r -> r.response().setStatusCode(204).end());
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }
}
