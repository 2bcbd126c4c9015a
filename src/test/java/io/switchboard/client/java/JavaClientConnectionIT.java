package io.switchboard.client.java;

import io.switchboard.client.CloseCodes;
import io.switchboard.client.Completion;
import io.switchboard.client.ConnectionState;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.MemoryStore;
import io.switchboard.client.Message;
import io.switchboard.client.SendOptions;
import io.switchboard.client.Sent;
import io.switchboard.client.StateChange;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.SwitchboardException;
import io.switchboard.support.FailoverProxy;
import io.switchboard.support.NodeProcess;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client's connection lifecycle against a real node process (the fat jar): sends made
 * before the first welcome, tokens refused and refreshed, a disconnect by the backend, the phone's
 * network callbacks, and the app going to the background and back. Each client goes through a
 * {@link FailoverProxy} (one node behind it) when the test needs to count or break its connections.
 */
class JavaClientConnectionIT {

  static final String KEY = "java-client-connection-it-key-0123456789";
  /** Deadline of waits that take well under a second when nothing is wrong. */
  static final long WAIT_MS = 20_000;
  /**
   * Deadline of a connection the client closes "at once": far above what a close takes on a loaded
   * machine, below the watchdogs (connect timeout 15 s, heartbeat 2 x 25 s) that would close it anyway.
   */
  static final long CLOSED_WITHIN_MS = 5_000;

  static NodeProcess node;
  static NodeApi api;
  final List<SwitchboardClient> clients = new ArrayList<>();
  final List<FailoverProxy> proxies = new ArrayList<>();

  @BeforeAll
  static void startNode() throws Exception {
    // one gateway loop: one sweep expires every session of a given exp at once (the refresh test's canary)
    node = NodeProcess.start("jc-conn", List.of(), Map.of("SB_JWT_SECRET", TestNode.SECRET, "SB_API_KEYS", KEY,
        "SB_HTTP_INSTANCES", "1")).awaitReady();
    api = new NodeApi(KEY);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(SwitchboardClient::close);
    proxies.forEach(FailoverProxy::close);
  }

  String direct() {
    return "ws://127.0.0.1:" + node.port() + "/ws";
  }

  FailoverProxy proxy() {
    FailoverProxy p = new FailoverProxy(node.port());
    proxies.add(p);
    return p;
  }

  SwitchboardClient track(SwitchboardClient c) {
    clients.add(c);
    return c;
  }

  static Sent await(Completion<Sent> c) throws Exception {
    return c.await(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  @Test
  void sendsMadeBeforeConnectGoOutAfterTheWelcomeAndAreStoredOnceInOrder() throws Exception {
    String user = "pre-alice";
    String peer = "pre-bob";
    Recorder rec = new Recorder(user);
    SwitchboardClient c = track(SwitchboardClient.builder(direct()).token(Tokens.user(user).sign()).device("pre-phone")
        .listener(rec).build());
    List<Completion<Sent>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(c.send("user:" + peer, new JSONObject().put("i", i), new SendOptions().setId("pre-" + i)));
    }
    // a frame before hello would have the node close with 4400 (for good): the sends would fail
    c.connect();
    for (int i = 0; i < 5; i++) {
      Sent s = await(sends.get(i));
      assertEquals(i + 1, s.getSeq(), "the sends are stored in the order they were made, each once");
      assertEquals("pre-" + i, s.getId());
    }
    assertEquals(ConnectionState.ONLINE, c.getState());
    assertNull(rec.stateAfter(0, ConnectionState.CLOSED), rec.toString());
    assertEquals(Map.of("pre-0", 1L, "pre-1", 2L, "pre-2", 3L, "pre-3", 4L, "pre-4", 5L),
        api.storedOnce(node, "user:" + peer));
  }

  @Test
  void anExpiredTokenGetsA4401AndTheProviderIsAskedForAFreshOne() throws Exception {
    String user = "tok-carol";
    AtomicInteger calls = new AtomicInteger();
    Recorder rec = new Recorder(user);
    SwitchboardClient c = track(SwitchboardClient.builder(direct())
        .tokenProvider(() -> calls.incrementAndGet() == 1
            ? Tokens.user(user).expiresInSeconds(-3600).sign()
            : Tokens.user(user).sign())
        .listener(rec).build());
    Completion<Sent> queued = c.send("user:" + user, "while connecting");
    c.connect();

    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    StateChange refused = rec.stateAfter(0, ConnectionState.OFFLINE);
    assertNotNull(refused, "the expired token was refused first: " + rec);
    assertEquals(CloseCodes.UNAUTHORIZED, refused.getCode(), rec.toString());
    assertEquals(2, calls.get(), "asked once, then once more after the 4401");
    assertEquals(1, await(queued).getSeq());
    assertEquals(user, c.getUser());
  }

  @Test
  void aRefusedStaticTokenOrTheSameTokenAgainEndsInClosedWith4401() throws Exception {
    String user = "tok-dave";
    String expired = Tokens.user(user).expiresInSeconds(-3600).sign();

    Recorder rec = new Recorder("static");
    FailoverProxy proxy = proxy();
    SwitchboardClient c = track(SwitchboardClient.builder(proxy.wsUrl()).token(expired).backoff(100, 200)
        .listener(rec).build());
    Completion<Sent> queued = c.send("user:" + user, "never stored");
    c.connect();
    StateChange closed = rec.awaitState(0, ConnectionState.CLOSED, WAIT_MS);
    assertEquals(CloseCodes.UNAUTHORIZED, closed.getCode(), rec.toString());
    SwitchboardException e = assertThrows(SwitchboardException.class, () -> await(queued));
    assertEquals(ErrorCode.CLOSED, e.getCode());
    assertEquals(CloseCodes.UNAUTHORIZED, e.getCloseCode());

    // a TokenProvider that only has the token just refused: asked again once, then the client stops
    AtomicInteger calls = new AtomicInteger();
    Recorder again = new Recorder("same token");
    SwitchboardClient d = track(SwitchboardClient.builder(proxy.wsUrl()).backoff(100, 200)
        .tokenProvider(() -> {
          calls.incrementAndGet();
          return expired;
        }).listener(again).build());
    d.connect();
    assertEquals(CloseCodes.UNAUTHORIZED, again.awaitState(0, ConnectionState.CLOSED, WAIT_MS).getCode(), again.toString());
    assertEquals(2, calls.get());

    assertEquals(2, proxy.accepted(), "one connection each: the token refused once is not tried again");
    assertNoMoreConnections(proxy, "a client closed with 4401 must not reconnect");
    assertEquals(List.of(), api.history(node, "user:" + user));
  }

  @Test
  void aTokenAboutToExpireIsRefreshedOnTheLiveConnectionWithoutAReconnect() throws Exception {
    String user = "tok-erin";
    long exp = System.currentTimeMillis() / 1000 + 8;
    String first = Tokens.user(user).claim("exp", exp).sign();
    AtomicInteger calls = new AtomicInteger();
    Recorder rec = new Recorder(user);
    SwitchboardClient c = track(SwitchboardClient.builder(direct())
        .tokenProvider(() -> calls.incrementAndGet() == 1 ? first : Tokens.user(user).sign())
        .tokenRefreshMarginMs(3_000)
        .listener(rec).build());
    c.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    String session = c.getSession();
    int online = rec.mark();

    // a session with the first token's exp and no refresh: once the node closed it, it would have
    // closed the refreshed client too had the refresh not replaced its token
    Recorder canaryRec = new Recorder("canary");
    SwitchboardClient canary = track(SwitchboardClient.builder(direct()).token(Tokens.user("tok-canary").claim("exp", exp).sign())
        .listener(canaryRec).build());
    canary.connect();
    canaryRec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    StateChange expired = canaryRec.awaitState(0, ConnectionState.CLOSED, 30_000);
    assertEquals(CloseCodes.UNAUTHORIZED, expired.getCode(), canaryRec.toString());
    assertTrue(System.currentTimeMillis() >= exp * 1000, "the canary closed at the first token's exp, not before");

    assertEquals(1, await(c.send("user:" + user, "after exp")).getSeq());
    assertEquals(session, c.getSession(), "the same session carries on: the token was refreshed on it");
    assertEquals(ConnectionState.ONLINE, c.getState());
    assertEquals(List.of(), rec.statesAfter(online), "no state change (no OFFLINE, no reconnect) after the first ONLINE");
    assertEquals(2, calls.get(), "one token to connect, one to refresh");
  }

  @Test
  void aDisconnectByTheApiClosesWith4403AndTheClientDoesNotReconnect() throws Exception {
    String user = "kick-frank";
    Recorder rec = new Recorder(user);
    FailoverProxy proxy = proxy();
    SwitchboardClient c = track(SwitchboardClient.builder(proxy.wsUrl()).tokenProvider(() -> Tokens.user(user).sign())
        .backoff(100, 200).listener(rec).build());
    c.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);

    api.disconnect(node, user, "account suspended");
    StateChange closed = rec.awaitState(0, ConnectionState.CLOSED, WAIT_MS);
    assertEquals(CloseCodes.FORBIDDEN, closed.getCode(), rec.toString());
    SwitchboardException e = assertThrows(SwitchboardException.class, () -> await(c.send("user:" + user, "after the kick")));
    assertEquals(ErrorCode.CLOSED, e.getCode());

    assertEquals(1, proxy.accepted());
    assertNoMoreConnections(proxy, "a client closed with 4403 must not reconnect");
    assertFalse(api.online(node, user));
    assertEquals(ConnectionState.CLOSED, c.getState());

    // the app goes to the background and comes back (ProcessLifecycleOwner does this all day): a
    // client the server closed for good stays closed
    c.pause().await(WAIT_MS, TimeUnit.MILLISECONDS);
    c.resume();
    assertNoMoreConnections(proxy, "pause() and resume() must not revive a client closed with 4403");
    assertEquals(ConnectionState.CLOSED, c.getState());
  }

  @Test
  void anUpgradeAnsweredWithA404StopsTheClient() throws Exception {
    Recorder rec = new Recorder("wrong path");
    FailoverProxy proxy = proxy();
    SwitchboardClient c = track(SwitchboardClient.builder(proxy.wsUrl().replace("/ws", "/not-the-ws-path"))
        .token(Tokens.user("path-lena").sign()).backoff(100, 200).listener(rec).build());
    c.connect();
    StateChange closed = rec.awaitState(0, ConnectionState.CLOSED, WAIT_MS);
    assertTrue(closed.getReason().contains("404"), closed.toString());
    assertEquals(1, proxy.accepted());
    assertNoMoreConnections(proxy, "a wrong path does not get right by trying again");
  }

  /**
   * close() writes the positions of what the listener ran, also of the messages that were still
   * waiting for it when close() was called: a new process on the same store gets none of them again.
   */
  @Test
  void closeWritesThePositionsOfMessagesTheListenerRanAfterIt() throws Exception {
    String user = "close-mona";
    String peer = "close-ned";
    MemoryStore store = new MemoryStore();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
    Recorder rec = new Recorder(user) {
      @Override
      public void onMessage(Message m) {
        super.onMessage(m);
        // the app's main thread, busy: the messages after this one wait for it
        blocked.countDown();
        try {
          release.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    SwitchboardClient r = track(SwitchboardClient.builder(direct()).token(Tokens.user(user).sign()).device("mona-phone")
        .store(store).listener(rec).build());
    SwitchboardClient s = track(SwitchboardClient.builder(direct()).token(Tokens.user(peer).sign()).build());
    r.connect();
    s.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    for (int i = 1; i <= 3; i++) {
      await(s.send("user:" + user, "m" + i));
    }
    assertTrue(blocked.await(WAIT_MS, TimeUnit.MILLISECONDS));
    Recorder.until("all 3 to arrive at the client", WAIT_MS,
        () -> r.getPositions().containsKey("user:" + user) && r.getPositions().get("user:" + user).getSeq() == 3, rec::toString);

    Completion<Void> closed = r.close();
    release.countDown();
    closed.await(WAIT_MS, TimeUnit.MILLISECONDS);
    assertEquals(3, rec.messages("user:" + user).size());
    assertEquals(3, new JSONObject(store.get("switchboard:mona-phone:positions")).getJSONObject("seqs").getLong("user:" + user),
        "the stored position covers what the listener ran, up to the last message");
    assertEquals(List.of(), rec.resets, "the first message of a stream with no history is not a reset for the app");

    Recorder again = new Recorder(user + " again");
    SwitchboardClient next = track(SwitchboardClient.builder(direct()).token(Tokens.user(user).sign()).device("mona-phone")
        .store(store).listener(again).build());
    next.connect();
    again.await("the catch-up", WAIT_MS, () -> !again.resumed.isEmpty());
    assertEquals(List.of(), again.messages("user:" + user), "nothing delivered twice after a clean close()");
    await(s.send("user:" + user, "m4"));
    again.await("m4", WAIT_MS, () -> again.messages("user:" + user).size() == 1);
    assertEquals(List.of(4L), again.seqs("user:" + user));
  }

  @Test
  void networkAvailableCutsALongBackoffShort() throws Exception {
    String user = "net-gina";
    Recorder rec = new Recorder(user);
    FailoverProxy proxy = proxy();
    SwitchboardClient c = track(SwitchboardClient.builder(proxy.wsUrl()).token(Tokens.user(user).sign())
        .backoff(60_000, 60_000).random(Jitter.fixed(0.5)).listener(rec).build());
    c.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    String session = c.getSession();

    int before = rec.mark();
    proxy.cut();
    StateChange offline = rec.awaitState(before, ConnectionState.OFFLINE, WAIT_MS);
    assertTrue(offline.getDelayMs() > 10_000, "the next attempt is far: " + offline);

    int cut = rec.mark();
    long t0 = System.nanoTime();
    c.networkAvailable();
    rec.awaitState(cut, ConnectionState.ONLINE, 10_000);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(tookMs < offline.getDelayMs(), "online after " + tookMs + " ms, not after the backoff's " + offline.getDelayMs());
    assertNotEquals(session, c.getSession());
  }

  @Test
  void networkLostDropsTheConnectionAtOnce() throws Exception {
    String user = "net-hank";
    Recorder rec = new Recorder(user);
    SwitchboardClient c = track(SwitchboardClient.builder(direct()).token(Tokens.user(user).sign())
        .backoff(60_000, 60_000).random(Jitter.fixed(0.5)).listener(rec).build());
    c.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    assertTrue(api.online(node, user));

    int before = rec.mark();
    c.networkLost();
    rec.awaitState(before, ConnectionState.OFFLINE, CLOSED_WITHIN_MS);
    // the socket itself is gone, not only the state: the node sees the session end
    Recorder.until("the node to see " + user + " offline", CLOSED_WITHIN_MS, () -> !online(user), rec::toString);

    int lost = rec.mark();
    c.networkAvailable();
    rec.awaitState(lost, ConnectionState.ONLINE, 10_000);
  }

  @Test
  void networkAvailableOnAConnectionThatWentDeadReconnects() throws Exception {
    String user = "net-ida";
    Recorder rec = new Recorder(user);
    FailoverProxy proxy = proxy();
    // the heartbeat's watchdog alone would take 2 x 25 s to notice: only the probe fits the deadline
    SwitchboardClient c = track(SwitchboardClient.builder(proxy.wsUrl()).token(Tokens.user(user).sign())
        .probeTimeoutMs(1_000).backoff(100, 500).listener(rec).build());
    c.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    // caught up: nothing is on its way from the node that could read as an answer to the probe
    rec.await("the catch-up", WAIT_MS, () -> !rec.resumed.isEmpty());
    String session = c.getSession();

    int before = rec.mark();
    proxy.silence();
    c.networkAvailable();
    rec.awaitState(before, ConnectionState.OFFLINE, 10_000);
    rec.awaitState(before, ConnectionState.ONLINE, 10_000);
    assertNotEquals(session, c.getSession());
    assertEquals(1, await(c.send("user:" + user, "on the new connection")).getSeq());
  }

  @Test
  void pauseAndResumeLoseNothingAndSendNothingWhilePaused() throws Exception {
    String user = "bg-judy";
    String peer = "bg-karl";
    Recorder rec = new Recorder(user);
    Recorder peerRec = new Recorder(peer);
    FailoverProxy proxy = proxy();
    SwitchboardClient r = track(SwitchboardClient.builder(proxy.wsUrl()).token(Tokens.user(user).sign()).device("judy-phone")
        .listener(rec).build());
    SwitchboardClient s = track(SwitchboardClient.builder(direct()).token(Tokens.user(peer).sign()).device("karl-phone")
        .listener(peerRec).build());
    r.connect();
    s.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    peerRec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    for (int i = 1; i <= 3; i++) {
      await(s.send("user:" + user, "before " + i));
    }
    rec.await("the 3 messages before the pause", WAIT_MS, () -> rec.messages("user:" + user).size() == 3);

    int before = rec.mark();
    r.pause();
    rec.awaitState(before, ConnectionState.PAUSED, WAIT_MS);
    // closed by the pause itself, not by a watchdog later (the connect timeout would, after 15 s)
    Recorder.until("the node to see " + user + " offline", CLOSED_WITHIN_MS, () -> !online(user), rec::toString);
    int attempts = proxy.accepted();

    List<Completion<Sent>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(r.send("user:" + peer, "queued while paused " + i, new SendOptions().setId("judy-" + i)));
    }
    int m = 30;
    for (int i = 1; i <= m; i++) {
      await(s.send("user:" + user, "during " + i));
    }
    assertEquals(5, r.getPending());
    assertEquals(List.of(), api.history(node, "user:" + peer), "nothing goes out while paused");
    assertEquals(attempts, proxy.accepted(), "no connection while paused");
    assertEquals(List.of(ConnectionState.PAUSED), rec.statesAfter(before).stream().map(StateChange::getState).toList());
    assertEquals(3, rec.messages("user:" + user).size());

    int paused = rec.mark();
    r.resume();
    rec.awaitState(paused, ConnectionState.ONLINE, WAIT_MS);
    rec.await("the " + m + " messages sent during the pause", WAIT_MS, () -> rec.messages("user:" + user).size() >= 3 + m);
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 3 + m; i++) {
      expected.add(i);
    }
    assertEquals(expected, rec.seqs("user:" + user), "every message once, in order");
    List<Message> caughtUp = rec.messages("user:" + user).subList(3, 3 + m);
    assertTrue(caughtUp.stream().allMatch(Message::isReplayed), "what came during the pause is replayed");
    assertEquals("during 1", caughtUp.get(0).getBody());
    assertEquals(List.of(), rec.gaps);
    rec.await("the catch-up to end", WAIT_MS, () -> rec.resumed.size() == 2);
    assertEquals(m, rec.resumed.get(1).getCount(), "the catch-up counts what came during the pause");

    Set<Long> seqs = new HashSet<>();
    for (Completion<Sent> q : queued) {
      seqs.add(await(q).getSeq());
    }
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), seqs);
    Map<String, Long> stored = api.storedOnce(node, "user:" + peer);
    assertEquals(Set.of("judy-0", "judy-1", "judy-2", "judy-3", "judy-4"), stored.keySet());
    peerRec.await("karl to get judy's 5 messages", WAIT_MS, () -> peerRec.messages("user:" + peer).size() == 5);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), peerRec.seqs("user:" + peer));
  }

  /**
   * Nothing but time can show that a client does not reconnect: the clients these tests close have
   * backoff ceilings of 200 ms, so one that still retried would try several times within this window.
   */
  static void assertNoMoreConnections(FailoverProxy proxy, String message) {
    int before = proxy.accepted();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    assertEquals(before, proxy.accepted(), message);
  }

  static boolean online(String user) {
    try {
      return api.online(node, user);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
