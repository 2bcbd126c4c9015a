package io.switchboard.checker;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A named way to spend a run: a weighted mix of random operations, or a short script of the
 * operations and faults that reach one defect class, followed by a random mix. Both take every
 * choice from the run's seed.
 */
record Scenario(String name, String about, Consumer<Run> script) {

  void play(Run run) {
    script.accept(run);
  }

  static Map<Run.Op, Integer> weights(Object... opsAndWeights) {
    Map<Run.Op, Integer> m = new EnumMap<>(Run.Op.class);
    for (int i = 0; i < opsAndWeights.length; i += 2) {
      m.put((Run.Op) opsAndWeights[i], (Integer) opsAndWeights[i + 1]);
    }
    return m;
  }

  /** Client and API traffic, no faults: what runs while a fault is under way. */
  static final Map<Run.Op, Integer> GENTLE = weights(
      Run.Op.CONNECT, 3, Run.Op.DISCONNECT, 2, Run.Op.SEND, 6, Run.Op.ACK, 2, Run.Op.JOIN, 1, Run.Op.LEAVE, 1,
      Run.Op.API_SEND, 3, Run.Op.API_JOIN, 1);

  /** Everything, faults included, in proportions that keep most of the run in service. */
  static final Map<Run.Op, Integer> MIXED = weights(
      Run.Op.CONNECT, 10, Run.Op.DISCONNECT, 7, Run.Op.SEND, 18, Run.Op.ACK, 6, Run.Op.JOIN, 3, Run.Op.LEAVE, 2,
      Run.Op.API_JOIN, 3, Run.Op.API_LEAVE, 2, Run.Op.API_SEND, 8, Run.Op.KICK, 1, Run.Op.BAD_INPUT, 2,
      Run.Op.DROP_MESSAGE, 2, Run.Op.DROP_CONTROL, 1, Run.Op.FAIL_SUBSCRIBE, 1, Run.Op.KILL, 1, Run.Op.FREEZE, 1,
      Run.Op.REDIS, 1, Run.Op.CLOCK, 2, Run.Op.QUIET, 2);

  static final Scenario RANDOM = new Scenario("random", "the whole mix of operations and faults",
      run -> run.randomOps(50, MIXED));

  /**
   * Item 1: a device misses room messages while offline, comes back with its positions and sends
   * join (and a send) pipelined right after hello, without waiting for welcome.
   */
  static final Scenario PIPELINED = new Scenario("pipelined", "resume + join/send pipelined after hello", run -> {
    for (int round = 0; round < 3 && run.timeLeft(); round++) {
      Device d = run.devices.get(run.rnd.nextInt(run.devices.size()));
      String room = run.rooms.get(run.rnd.nextInt(run.rooms.size()));
      if (!run.believed.get(d.user).contains(room)) {
        run.apiJoin(d.user, room, run.rnd.nextInt(run.cluster.size()));
      }
      if (!d.connected()) {
        run.connect(d, run.otherNode(d), Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
      }
      run.send(d, "user:" + d.user, true); // something to be at: a position in every stream
      run.disconnect(d, true);
      for (int i = 0; i < 3; i++) {
        run.apiSend("room:" + room, run.rnd.nextInt(run.cluster.size()));
      }
      run.connect(d, run.otherNode(d), Run.Resume.FULL, true, run.rnd.nextBoolean(), Conn.TokenKind.NORMAL);
      run.randomOps(5, GENTLE);
    }
    run.quiet("after pipelined resumes");
    run.randomOps(15, GENTLE);
  });

  /** Item 9: the last delivery of a conversation, and control deliveries, lost on the bus. */
  static final Scenario LOST = new Scenario("lost", "deliveries and control messages lost on the bus", run -> {
    run.randomOps(6, GENTLE);
    run.settleSubscriptions();
    for (int i = 0; i < 3 && run.timeLeft(); i++) {
      run.dropMessage(run.devices.get(run.rnd.nextInt(run.devices.size())));
    }
    for (int i = 0; i < 3 && run.timeLeft(); i++) {
      run.dropControl(run.users.get(run.rnd.nextInt(run.users.size())), run.rooms.get(run.rnd.nextInt(run.rooms.size())),
          run.rnd.nextInt(run.cluster.size()));
    }
    run.quiet("after lost deliveries");
    run.randomOps(10, GENTLE);
  });

  /**
   * Items 2 and 3: time moves. A device acks, goes away, and comes back without resume after its
   * ack is older than the retention age while the log still holds what came since; then every
   * stream lies idle past retention + 1 day, and starts over while sessions are connected.
   */
  static final Scenario CLOCK = new Scenario("clock", "retention, cursor age and stream expiry in test time", run -> {
    long step = Contract.RETENTION_SECONDS * 1000 * 2 / 5;
    for (Device d : run.devices) {
      run.send(d, "user:" + run.users.get(run.rnd.nextInt(run.users.size())), true);
    }
    run.randomOps(4, GENTLE);
    for (Device d : run.devices) {
      run.ack(d);
      run.ack(d);
    }
    Device away = run.devices.get(run.rnd.nextBoolean() ? 0 : 2); // a device with an id: server-side cursors
    run.ackAll(away);
    run.settleCursors();
    run.disconnect(away, true);
    for (int i = 0; i < 3; i++) {
      run.moveClock(step);
      run.apiSend("user:" + away.user, run.rnd.nextInt(run.cluster.size()));
      for (String r : run.believed.get(away.user)) {
        run.apiSend("room:" + r, run.rnd.nextInt(run.cluster.size()));
      }
    }
    run.connect(away, run.otherNode(away), Run.Resume.NONE, false, false, Conn.TokenKind.NORMAL);
    run.quiet("after a device's cursor aged");
    // every stream idle for longer than retention + 1 day: the next append starts it over
    run.moveClock(Contract.RETENTION_SECONDS * 1000 + 86_400_000L + 60_000);
    for (String u : run.users) {
      run.apiSend("user:" + u, run.rnd.nextInt(run.cluster.size()));
    }
    for (String r : run.rooms) {
      run.apiSend("room:" + r, run.rnd.nextInt(run.cluster.size()));
    }
    run.randomOps(8, GENTLE);
    run.quiet("after streams started over");
    run.randomOps(10, GENTLE);
  });

  /** Items 5, 6, 8, 12: input the contract says must be refused, and a token narrower than the memberships. */
  static final Scenario REFUSALS = new Scenario("refusals", "bad frames and tokens, and a token without some rooms", run -> {
    Device d = run.devices.get(run.rnd.nextInt(run.devices.size()));
    run.probe(Conn.TokenKind.STRING_EXP, run.rnd.nextInt(run.cluster.size()));
    run.probe(Conn.TokenKind.DEV, 1 + run.rnd.nextInt(run.cluster.size() - 1));
    for (int i = 0; i < 4; i++) {
      run.badInput(run.devices.get(run.rnd.nextInt(run.devices.size())));
    }
    // a member of every room, by its own joins, whose new token names only some of them (a room
    // the API granted stays followed whatever the token says: the narrowed one is a joined one)
    if (!d.connected()) {
      run.connect(d, run.otherNode(d), Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
    }
    for (String r : run.rooms) {
      if (!run.believed.get(d.user).contains(r)) {
        run.clientJoin(d, r);
      }
    }
    run.disconnect(d, true);
    run.connect(d, run.otherNode(d), Run.Resume.FULL, false, false, Conn.TokenKind.NARROW);
    for (String r : run.rooms) {
      run.send(d, "room:" + r, true);
    }
    run.randomOps(10, GENTLE);
    run.quiet("after refusals");
  });

  /**
   * Item 4: a node frozen past the failure timeout while its users are sent messages elsewhere; once
   * it wakes, and before the cluster merges again, messages cross between it and the others.
   */
  static final Scenario FREEZE = new Scenario("freeze", "SIGSTOP past the failure timeout", run -> {
    run.randomOps(5, GENTLE);
    int node = 1 + run.rnd.nextInt(run.cluster.size() - 1);
    for (Device d : run.devices) {
      if (!d.connected() && run.rnd.nextBoolean()) {
        run.connect(d, node, Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
      }
    }
    // the frozen node's users and the others share a room: what the woken node wrongly sweeps of
    // the others would reach its own sessions as presence frames
    String shared = run.rooms.get(0);
    boolean frozenSide = false;
    boolean healthySide = false;
    for (Device d : run.devices) {
      if (d.connected()) {
        if (!run.believed.get(d.user).contains(shared)) {
          run.apiJoin(d.user, shared, d.conn.node);
        }
        frozenSide |= d.conn.node == node;
        healthySide |= d.conn.node != node;
      }
    }
    for (Device d : run.devices) {
      if (!d.connected() && (!frozenSide || !healthySide)) {
        int at = !frozenSide ? node : run.otherNode(d) == node ? (node + 1) % run.cluster.size() : run.otherNode(d);
        run.connect(d, at, Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
        if (!run.believed.get(d.user).contains(shared)) {
          run.apiJoin(d.user, shared, at);
        }
        frozenSide |= at == node;
        healthySide |= at != node;
      }
    }
    int other = (node + 1 + run.rnd.nextInt(run.cluster.size() - 1)) % run.cluster.size();
    Runnable crossTraffic = () -> {
      for (int i = 0; i < 6; i++) {
        String target = run.rnd.nextBoolean() ? "user:" + run.users.get(run.rnd.nextInt(run.users.size()))
            : "room:" + run.rooms.get(run.rnd.nextInt(run.rooms.size()));
        run.apiSend(target, run.rnd.nextBoolean() ? node : other);
      }
    };
    run.freeze(node, crossTraffic);
    // awake, and still alone until Hazelcast merges the halves: traffic both ways
    crossTraffic.run();
    for (Device d : run.devices) {
      if (d.connected() && d.conn.node == node) {
        run.send(d, "user:" + run.users.get(run.rnd.nextInt(run.users.size())), true);
      }
    }
    run.quiet("after a freeze");
    run.randomOps(8, GENTLE);
  });

  /** Item 7: a room's event-bus registration fails on the node of a member's session. */
  static final Scenario FAILED_SUBSCRIBE = new Scenario("failed-subscribe", "an event-bus registration fails", run -> {
    run.randomOps(4, GENTLE);
    for (int i = 0; i < 2; i++) {
      run.failSubscribe();
      run.randomOps(3, GENTLE);
    }
    run.quiet("after failed registrations");
    for (Device d : run.devices) {
      if (!d.connected()) {
        run.connect(d, run.otherNode(d), Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
      }
    }
    run.randomOps(8, GENTLE);
  });

  /**
   * Item 13: Redis stops under a burst of queued calls; restarts (scripts flushed) under concurrent
   * sends from every node; forgets its scripts while a session pipelines sends to one stream.
   */
  static final Scenario REDIS = new Scenario("redis", "Redis outage under a burst, restart and script-cache races", run -> {
    run.randomOps(4, GENTLE);
    run.redisOutage(true);
    for (Device d : run.devices) {
      if (d.connected()) {
        for (int i = 0; i < 5; i++) {
          run.send(d, "room:" + run.rooms.get(0), false);
        }
      }
    }
    for (int i = 0; i < 4; i++) {
      run.scriptRace();
    }
    run.randomOps(6, GENTLE);
    run.quiet("after Redis outages");
  });

  /**
   * Item 10 and presence after node deaths: a crowd reconnects all at once, and a node is killed
   * while their hellos (and presence updates) are in flight; then sessions come and go.
   */
  static final Scenario KILLS = new Scenario("kills", "kill -9 during reconnect storms", run -> {
    List<Device> crowd = run.crowd(10);
    run.storm(crowd);
    run.awaitWelcomes();
    for (int i = 0; i < 2 && run.timeLeft(); i++) {
      run.randomOps(3, GENTLE);
      // every crowd session closes (presence "closed" calls in flight) as a node dies, then all come back
      for (Device d : crowd) {
        run.disconnect(d, true);
      }
      int node = run.rnd.nextInt(run.cluster.size());
      run.kill(node);
      run.storm(run.devices);
      run.awaitWelcomes();
      run.restart(node);
    }
    run.quiet("after kills");
  });

  /**
   * Item 10: on one node, presence calls that Hazelcast runs twice (an entry processor run again
   * after the member that ran it left) and closes lost with a member. Opens run twice while
   * sessions open there, among them two of one user; then one of that user's sessions closes with
   * its close run twice (the other stays open), and two more close with their closes lost. Presence
   * must count each session once, and lose none of the closes.
   */
  static final Scenario PRESENCE_FAULTS = new Scenario("presence-faults", "presence calls run twice or lost on one node", run -> {
    int node = run.rnd.nextInt(run.cluster.size());
    List<Device> crowd = run.crowd(4);
    Device phone = run.devices.get(0);
    Device laptop = run.devices.get(1);
    run.disconnect(phone, false);
    run.disconnect(laptop, false);
    run.presenceFault(node, "dup-open", 4);
    for (Device d : List.of(phone, laptop, crowd.get(0), crowd.get(1))) {
      run.connect(d, node, Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
    }
    run.awaitPresenceFaults(node);
    run.quiet("after opens run twice");
    run.presenceFault(node, "dup-close", 1);
    run.disconnect(phone, run.rnd.nextBoolean());
    run.presenceFault(node, "fail-close", 2);
    run.disconnect(crowd.get(0), true);
    run.disconnect(crowd.get(1), false);
    for (Device d : crowd.subList(2, 4)) {
      run.connect(d, node, Run.Resume.FULL, false, false, Conn.TokenKind.NORMAL);
    }
    run.awaitPresenceFaults(node);
    run.quiet("after closes run twice or lost");
    run.randomOps(6, GENTLE);
  });

  /** Item 11: the bytes a presence change to a room costs, with few and with many users online in it. */
  static final Scenario ROOM_COST = new Scenario("room-cost", "Hazelcast bytes per presence change, small and large room", run -> {
    run.roomCost();
    run.quiet("after a room grew");
  });

  /** Item 14: a flood into a room while its feed on one node waits for a slow fill. */
  static final Scenario BUSY_ROOM = new Scenario("busy-room", "a flood while a feed fills from a slow log", run -> {
    run.randomOps(3, GENTLE);
    run.busyRoomSlowFill();
    run.quiet("after a flood");
  });

  static final List<Scenario> ALL = List.of(RANDOM, PIPELINED, LOST, CLOCK, REFUSALS, FREEZE, FAILED_SUBSCRIBE, REDIS, KILLS,
      BUSY_ROOM, PRESENCE_FAULTS, ROOM_COST);

  static Scenario named(String name) {
    return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scenario " + name + "; there are "
            + ALL.stream().map(Scenario::name).toList()));
  }
}
