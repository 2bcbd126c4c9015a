package io.switchboard.client.java;

import io.switchboard.client.CloseCodes;
import io.switchboard.client.Completion;
import io.switchboard.client.ConnectionState;
import io.switchboard.client.Message;
import io.switchboard.client.SendOptions;
import io.switchboard.client.Sent;
import io.switchboard.client.StateChange;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.support.FailoverProxy;
import io.switchboard.support.NodeProcess;
import io.switchboard.support.RedisServer;
import io.switchboard.support.Tokens;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java clients behind a load balancer ({@link FailoverProxy}) in front of a cluster of node
 * processes on one Redis, while messages flow: the node holding them dies (SIGKILL), or is drained
 * (1012 with a reconnect hint). The clients come back on another node, every send completes and is
 * stored once, and the receivers get every message once, in seq order, with no gap.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaClientFailoverIT {

  static final String KEY = "java-client-failover-it-key-0123456789";
  static final long WAIT_MS = 60_000;
  static final int DRAIN_MS = 2_000;
  /** The node's largest reconnect hint (protocol.md: a random `after` in 0-2000 ms). */
  static final long MAX_HINT_MS = 2_000;

  static RedisServer redis;
  static NodeProcess a;
  static NodeProcess b;
  static NodeProcess c;
  static NodeApi api;
  final List<SwitchboardClient> clients = new ArrayList<>();
  final List<FailoverProxy> proxies = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    redis = RedisServer.ephemeral().start();
    Map<String, String> env = NodeProcess.clusterEnv("jc-failover", redis.url(), KEY, 5_000);
    env.put("SB_DRAIN_MS", String.valueOf(DRAIN_MS));
    // the first node forms the cluster; the others join it
    a = NodeProcess.start("jc-a", List.of("-cluster"), env).awaitReady();
    b = NodeProcess.start("jc-b", List.of("-cluster"), env);
    c = NodeProcess.start("jc-c", List.of("-cluster"), env);
    b.awaitReady();
    c.awaitReady();
    api = new NodeApi(KEY);
    RedisServer.await("3 nodes in the cluster", 60_000, () -> api.nodes(a) == 3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (NodeProcess n : new NodeProcess[] {a, b, c}) {
      if (n != null) {
        // the nodes' logs outlive them, for whoever reads a failure
        Files.writeString(Path.of("target", "JavaClientFailoverIT-" + n.name() + ".log"), n.log());
        n.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(SwitchboardClient::close);
    proxies.forEach(FailoverProxy::close);
  }

  FailoverProxy proxy(NodeProcess... nodes) {
    FailoverProxy p = new FailoverProxy(java.util.Arrays.stream(nodes).mapToInt(NodeProcess::port).toArray());
    proxies.add(p);
    return p;
  }

  SwitchboardClient client(FailoverProxy proxy, String user, String device, Recorder rec, Random random, long backoffMs) {
    SwitchboardClient.Builder builder = SwitchboardClient.builder(proxy.wsUrl()).tokenProvider(() -> Tokens.user(user).sign())
        .device(device).listener(rec).backoff(backoffMs, backoffMs);
    if (random != null) {
      builder.random(random);
    }
    SwitchboardClient client = builder.build();
    clients.add(client);
    client.connect();
    rec.awaitState(0, ConnectionState.ONLINE, WAIT_MS);
    return client;
  }

  @Test
  @Order(1)
  void aKilledNodesClientsFailOverWithEverySendStoredOnceAndEveryMessageDeliveredOnceInOrder() throws Exception {
    String sender = "fo-sam";
    String receiver = "fo-rita";
    String observer = "fo-olga";
    String room = "fo-room";
    // the receivers reach the cluster over another network than the sender: it can keep them away
    // while the sender is back
    FailoverProxy senderNet = proxy(a, b);
    FailoverProxy receiverNet = proxy(a, b);
    Recorder sRec = new Recorder(sender);
    Recorder rRec = new Recorder(receiver);
    Recorder oRec = new Recorder(observer);
    SwitchboardClient s = client(senderNet, sender, sender + "-phone", sRec, null, 200);
    SwitchboardClient r = client(receiverNet, receiver, receiver + "-phone", rRec, null, 200);
    // without a device the node keeps no cursor for it: only the positions the client resumes with
    // keep it from starting again at the room's head, past what was sent while it was away
    SwitchboardClient o = client(receiverNet, observer, null, oRec, null, 200);
    for (SwitchboardClient member : List.of(s, r, o)) {
      member.join(room).await(WAIT_MS, TimeUnit.MILLISECONDS);
      assertEquals(a.name(), member.getNode());
    }

    // even sends to the receiver's own stream, odd ones to the room all three are in
    int n = 200;
    Traffic traffic = Traffic.start(s, n, i -> i % 2 == 0 ? "user:" + receiver : "room:" + room, "fo-", 10);
    rRec.await("the receiver to get 40 messages", WAIT_MS, () -> rRec.messages.size() >= 40);
    receiverNet.refuseNew(true);
    a.kill();
    int answeredAtKill = traffic.answered();
    // the receivers come back only once messages were stored without them, which their resume must bring
    Recorder.until("the sender to be answered 30 times after the kill", WAIT_MS,
        () -> traffic.answered() >= answeredAtKill + 30, () -> sRec.toString());
    receiverNet.refuseNew(false);

    Map<String, Sent> sent = traffic.awaitAll(WAIT_MS);
    assertEquals(n, sent.size(), "each send answered with its own id");
    assertTrue(answeredAtKill < n, "the node died mid-stream: " + answeredAtKill + " of " + n + " answered");
    int half = n / 2;
    rRec.await("every message to reach the receiver", WAIT_MS,
        () -> rRec.messages("user:" + receiver).size() >= half && rRec.messages("room:" + room).size() >= half);
    sRec.await("every room message to reach the sender", WAIT_MS, () -> sRec.messages("room:" + room).size() >= half);
    oRec.await("every room message to reach the observer", WAIT_MS, () -> oRec.messages("room:" + room).size() >= half);

    for (Recorder rec : List.of(sRec, rRec, oRec)) {
      StateChange lost = rec.stateAfter(0, ConnectionState.OFFLINE);
      assertNotNull(lost, rec.name + " lost its node: " + rec);
      if (rec != sRec) {
        assertTrue(rec.resumed.stream().skip(1).anyMatch(x -> x.getCount() > 0),
            rec.name + " caught up what was stored while it was away: " + rec.resumed);
      }
      assertEquals(List.of(), rec.gaps, rec.name);
      assertEquals(List.of(), rec.resets, rec.name);
    }
    for (SwitchboardClient member : List.of(s, r, o)) {
      assertEquals(b.name(), member.getNode());
    }

    assertDeliveredOnceInOrder(rRec, "user:" + receiver, sent);
    assertDeliveredOnceInOrder(rRec, "room:" + room, sent);
    assertDeliveredOnceInOrder(sRec, "room:" + room, sent);
    assertDeliveredOnceInOrder(oRec, "room:" + room, sent);
    assertStoredOnce(b, "user:" + receiver, sent);
    assertStoredOnce(b, "room:" + room, sent);
    System.out.printf("kill -9 of %s with %d of %d sends answered: all completed, stored once, delivered once in order on %s%n",
        a.name(), answeredAtKill, n, b.name());
  }

  @Test
  @Order(2)
  void aDrainedNodesClientsFollowTheReconnectHintToAnotherNodeAndResumeWithoutLoss() throws Exception {
    String sender = "dr-sue";
    String receiver = "dr-ray";
    FailoverProxy proxy = proxy(b, c);
    // a backoff whose jitter always lands near its 5 s ceiling: a reconnect sooner than the node's
    // largest hint (2 s) can only have followed the hint
    Random late = Jitter.fixed(0.99);
    Recorder sRec = new Recorder(sender);
    Recorder rRec = new Recorder(receiver);
    SwitchboardClient s = client(proxy, sender, sender + "-phone", sRec, late, 5_000);
    SwitchboardClient r = client(proxy, receiver, receiver + "-phone", rRec, late, 5_000);
    assertEquals(b.name(), s.getNode());
    assertEquals(b.name(), r.getNode());

    int n = 100;
    Traffic traffic = Traffic.start(s, n, i -> "user:" + receiver, "dr-", 20);
    rRec.await("the receiver to get 20 messages", WAIT_MS, () -> rRec.messages.size() >= 20);
    // as a load balancer does once the node's readiness goes down, which the drain does first
    proxy.route(c.port());
    api.drain(b);
    // the node closes each session at a random instant of its drain window: the traffic may end first
    Recorder.until("both clients to come back on " + c.name(), WAIT_MS,
        () -> onlineOn(s, c) && onlineOn(r, c), () -> sRec + "\n" + rRec);

    Map<String, Sent> sent = traffic.awaitAll(WAIT_MS);
    assertEquals(n, sent.size(), "each send answered with its own id");
    rRec.await("every message to reach the receiver", WAIT_MS, () -> rRec.messages("user:" + receiver).size() >= n);
    for (Recorder rec : List.of(sRec, rRec)) {
      StateChange restart = rec.stateAfter(0, ConnectionState.OFFLINE);
      assertNotNull(restart, rec.name + " was drained: " + rec);
      assertEquals(CloseCodes.SERVICE_RESTART, restart.getCode(), rec.toString());
      assertTrue(restart.getDelayMs() <= MAX_HINT_MS, rec.name + " waited the hint, not its backoff: " + restart);
      assertEquals(List.of(), rec.gaps, rec.name);
      assertEquals(List.of(), rec.resets, rec.name);
    }
    assertEquals(c.name(), s.getNode());
    assertEquals(c.name(), r.getNode());
    assertDeliveredOnceInOrder(rRec, "user:" + receiver, sent);
    assertStoredOnce(c, "user:" + receiver, sent);
    // the drained node leaves the cluster and exits: its log is whole when the class copies it
    b.awaitExit(Duration.ofSeconds(60));
    System.out.printf("drain of %s: reconnect hints of %d and %d ms followed; %d sends stored once, delivered once in order on %s%n",
        b.name(), sRec.stateAfter(0, ConnectionState.OFFLINE).getDelayMs(), rRec.stateAfter(0, ConnectionState.OFFLINE).getDelayMs(),
        n, c.name());
  }

  static boolean onlineOn(SwitchboardClient client, NodeProcess node) {
    return client.getState() == ConnectionState.ONLINE && node.name().equals(client.getNode());
  }

  /** The stream's seqs 1..k, each once, ascending, each the message of the send that got that seq. */
  static void assertDeliveredOnceInOrder(Recorder rec, String stream, Map<String, Sent> sent) {
    Map<Long, String> idBySeq = new HashMap<>();
    sent.values().stream().filter(x -> x.getStream().equals(stream)).forEach(x -> idBySeq.put(x.getSeq(), x.getId()));
    List<Message> got = rec.messages(stream);
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= idBySeq.size(); i++) {
      expected.add(i);
    }
    assertEquals(expected, got.stream().map(Message::getSeq).toList(), rec.name + ": " + stream + " once, in order, no gap");
    for (Message m : got) {
      assertEquals(idBySeq.get(m.getSeq()), m.getId(), rec.name + ": " + stream + " #" + m.getSeq());
    }
  }

  /** The log holds each id once, at the seq its send's completion gave. */
  static void assertStoredOnce(NodeProcess via, String stream, Map<String, Sent> sent) throws Exception {
    Map<String, Long> expected = new HashMap<>();
    sent.values().stream().filter(x -> x.getStream().equals(stream)).forEach(x -> expected.put(x.getId(), x.getSeq()));
    assertEquals(expected, api.storedOnce(via, stream), stream);
  }

  /** Sends made at a steady pace from a thread of their own, as an app's user types, whatever the connection does. */
  static final class Traffic {
    final List<Completion<Sent>> sends = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> running;

    static Traffic start(SwitchboardClient client, int n, java.util.function.IntFunction<String> to, String idPrefix,
        long paceMs) {
      Traffic t = new Traffic();
      t.running = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < n; i++) {
          t.sends.add(client.send(to.apply(i), new JSONObject().put("i", i), new SendOptions().setId(idPrefix + i)));
          // the pace of the load, not a wait for anything
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(paceMs));
        }
      });
      return t;
    }

    int answered() {
      return (int) sends.stream().filter(Completion::isDone).count();
    }

    /** Every send's outcome, by id; fails on the first send that failed. */
    Map<String, Sent> awaitAll(long timeoutMs) throws Exception {
      running.get(timeoutMs, TimeUnit.MILLISECONDS);
      Map<String, Sent> out = new HashMap<>();
      for (Completion<Sent> c : sends) {
        Sent s = c.await(timeoutMs, TimeUnit.MILLISECONDS);
        out.put(s.getId(), s);
      }
      return out;
    }
  }
}
