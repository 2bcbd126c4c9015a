package io.switchboard.presence;

import io.switchboard.config.PresenceOptions;
import io.switchboard.routing.Delivery;
import io.switchboard.routing.StreamBus;
import io.switchboard.support.ForwardingPresence;
import io.switchboard.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presence service over a registry that fails, answers late, or lost sessions in a merge. */
class PresenceServiceTest {

  final Vertx vertx = Vertx.vertx();
  final ConcurrentLinkedQueue<String> announced = new ConcurrentLinkedQueue<>();
  final StreamBus bus = (StreamBus) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{StreamBus.class},
      (proxy, method, args) -> {
        if (method.getName().equals("publish")) {
          Delivery d = (Delivery) args[0];
          announced.add(d.frame());
        }
        return null;
      });

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aCloseThatFailsIsRetriedUntilTheRegistryTakesIt() {
    LocalPresenceRegistry local = new LocalPresenceRegistry();
    AtomicInteger closes = new AtomicInteger();
    PresenceRegistry flaky = failing(local, "sessionClosed", () -> closes.incrementAndGet() <= 2);
    PresenceService presence = new PresenceService(vertx, flaky, bus, new PresenceOptions());
    presence.opened("s1", "retried", List.of("room")).await();

    assertTrue(presence.closed("s1", "retried", List.of("room")).await(), "the user went offline");
    assertEquals(3, closes.get(), "two failed attempts, then the one the registry took");
    assertFalse(local.isOnline("retried").result());
    presence.settled().await();
    assertEquals(1, announced.stream().filter(f -> f.contains("offline")).count(), announced.toString());
  }

  @Test
  void aDrainWaitsForAClosedStillBeingRetried() {
    LocalPresenceRegistry local = new LocalPresenceRegistry();
    AtomicInteger closes = new AtomicInteger();
    PresenceService presence = new PresenceService(vertx, failing(local, "sessionClosed", () -> closes.incrementAndGet() == 1),
        bus, new PresenceOptions());
    presence.opened("s1", "draining", List.of()).await();
    presence.closed("s1", "draining", List.of());
    presence.settled().await();
    assertFalse(local.isOnline("draining").result(), "settled before the retry was done");
  }

  @Test
  void anOpenThatFailsIsClosedAgain() {
    LocalPresenceRegistry local = new LocalPresenceRegistry();
    // the registry counted the session, then the call failed (a timeout, a member lost on the way)
    PresenceRegistry halfDone = (PresenceRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[]{PresenceRegistry.class}, (proxy, method, args) -> {
          Object result = invoke(method, local, args);
          return method.getName().equals("sessionOpened") ? Future.failedFuture("lost on the way") : result;
        });
    PresenceService presence = new PresenceService(vertx, halfDone, bus, new PresenceOptions());
    assertTrue(presence.opened("s1", "half-open", List.of()).failed());
    presence.settled().await();
    assertFalse(local.isOnline("half-open").result(), "a session whose hello failed stayed online");
  }

  @Test
  void aMergeWritesEveryOpenSessionAgainAndClosesWhatTheNodeNoLongerHas() {
    LostInMerge registry = new LostInMerge();
    PresenceService presence = new PresenceService(vertx, registry, bus, new PresenceOptions());
    presence.opened("kept", "alice", List.of("room")).await();
    presence.opened("gone", "bob", List.of("room")).await();
    presence.localSessions(visitor -> {
      visitor.visit("kept", "alice", List.of("room"));
      return Future.succeededFuture();
    });
    // the merged cluster lost alice's session, and kept bob's, which this node closed meanwhile
    registry.local.sessionClosed("kept", "alice", List.of("room"));
    announced.clear();

    presence.reconcile().await();
    presence.settled().await();
    assertTrue(registry.local.isOnline("alice").result(), "alice's open session was not written again");
    assertFalse(registry.local.isOnline("bob").result(), "a session the node closed stayed in the registry");
    assertTrue(announced.stream().anyMatch(f -> f.contains("alice") && f.contains("online")), announced.toString());
    assertTrue(announced.stream().anyMatch(f -> f.contains("bob") && f.contains("offline")), announced.toString());
  }

  @Test
  void aMergeDuringAHelloLeavesTheSessionBeingOpenedAlone() {
    LostInMerge registry = new LostInMerge();
    Promise<Void> answer = Promise.promise();
    registry.holdOpens = answer.future();
    PresenceService presence = new PresenceService(vertx, registry, bus, new PresenceOptions());
    // counted by the registry, its answer not back yet: the gateway does not list it as counted
    Future<Boolean> opening = presence.opened("hello", "carol", List.of());
    RedisServer.await("the open to reach the registry", 10_000, () -> registry.local.isOnline("carol").result());

    Future<Void> reconciled = presence.reconcile();
    answer.complete();
    assertTrue(opening.await());
    reconciled.await();
    presence.settled().await();
    assertTrue(registry.local.isOnline("carol").result(), "a merge closed a session still in its hello");
  }

  @Test
  void aRewriteAskedWhileOneRunsAnswersOnceARunStartedAfterTheAskIsDone() {
    LostInMerge registry = new LostInMerge();
    PresenceService presence = new PresenceService(vertx, registry, bus, new PresenceOptions());
    presence.opened("s1", "dora", List.of("room")).await();
    java.util.concurrent.ConcurrentLinkedQueue<Promise<Void>> passes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    presence.localSessions(visitor -> {
      visitor.visit("s1", "dora", List.of("room"));
      Promise<Void> pass = Promise.promise();
      passes.add(pass);
      return pass.future();
    });
    Future<Void> first = presence.reconcile();
    RedisServer.await("the first pass to list the sessions", 10_000, () -> passes.size() == 1);
    // the registry loses the session after the first pass wrote it: only a later pass can repair it
    registry.local.sessionClosed("s1", "dora", List.of("room"));
    Future<Void> second = presence.reconcile();
    passes.poll().complete();
    first.await();
    assertFalse(second.isComplete(), "the second ask was answered by the pass that started before it");
    RedisServer.await("a second pass", 10_000, () -> passes.size() == 1);
    passes.poll().complete();
    second.await();
    assertTrue(registry.local.isOnline("dora").result(), "the session lost after the first pass was not written again");
  }

  /** A local registry that lists its sessions as this node's, and can hold back the answers of opens. */
  static final class LostInMerge extends ForwardingPresence {
    final LocalPresenceRegistry local;
    final Map<String, Set<String>> sessions = new HashMap<>();
    final Map<String, Set<String>> rooms = new HashMap<>();
    volatile Future<Void> holdOpens = Future.succeededFuture();

    LostInMerge() {
      this(new LocalPresenceRegistry());
    }

    private LostInMerge(LocalPresenceRegistry local) {
      super(local);
      this.local = local;
    }

    @Override
    public synchronized Future<Opened> sessionOpened(String session, String user, Collection<String> rooms) {
      sessions.computeIfAbsent(user, u -> new HashSet<>()).add(session);
      this.rooms.computeIfAbsent(user, u -> new HashSet<>()).addAll(rooms);
      Future<Opened> first = local.sessionOpened(session, user, rooms);
      return holdOpens.compose(v -> first);
    }

    @Override
    public synchronized Future<Boolean> sessionRepublished(String session, String user, Collection<String> rooms) {
      sessions.computeIfAbsent(user, u -> new HashSet<>()).add(session);
      this.rooms.computeIfAbsent(user, u -> new HashSet<>()).addAll(rooms);
      return local.sessionOpened(session, user, rooms).map(Opened::first);
    }

    @Override
    public synchronized Future<Closed> sessionClosed(String session, String user, Collection<String> rooms) {
      Set<String> own = sessions.get(user);
      if (own != null) {
        own.remove(session);
      }
      return local.sessionClosed(session, user, rooms);
    }

    @Override
    public synchronized Future<Map<String, Held>> ownSessions() {
      Map<String, Held> out = new HashMap<>();
      sessions.forEach((user, own) -> {
        if (!own.isEmpty()) {
          out.put(user, new Held(new HashSet<>(own), new HashSet<>(rooms.get(user))));
        }
      });
      return Future.succeededFuture(out);
    }





  }

  /** {@code registry}, whose {@code method} fails while {@code fail} says so. */
  private PresenceRegistry failing(PresenceRegistry registry, String method, java.util.function.BooleanSupplier fail) {
    return (PresenceRegistry) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{PresenceRegistry.class},
        (proxy, m, args) -> m.getName().equals(method) && fail.getAsBoolean()
            ? Future.failedFuture("registry unreachable") : invoke(m, registry, args));
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
