package io.switchboard.presence.hazelcast;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a presence call answers comes back on the caller's event loop, and no thread is started for
 * it: Hazelcast's default for callbacks starts a thread per callback on machines of one or two
 * cores, several per connect, which made a connect cost CPU on the connecting node for nothing.
 */
class PresenceCallbacksTest {

  static final int CALLS = 200;
  static final List<String> ROOMS = List.of("cb-room", "cb-room-2");
  static RegistryOnTwoMembers cluster;
  static Vertx vertx;
  static HazelcastPresenceRegistry registry;

  @BeforeAll
  static void start() {
    cluster = new RegistryOnTwoMembers();
    vertx = cluster.vertx;
    registry = cluster.registry;
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void answersComeBackOnTheCallersLoopWithoutAThreadPerCall() {
    // warm up: Hazelcast's and Vert.x's own pools start their threads on first use
    run(20).await();
    long startedBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    Set<String> wrongThreads = run(CALLS).await();
    long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - startedBefore;

    assertTrue(wrongThreads.isEmpty(), "answers handled on " + wrongThreads.size() + " threads other than the caller's "
        + "event loop, e.g. " + wrongThreads.stream().limit(5).toList());
    assertTrue(started < CALLS / 10, started + " threads started for " + CALLS + " presence calls");
  }

  /**
   * HazelcastSetup has the answers of other members read where they arrive: a member of a node runs
   * no response threads, which would cost a thread wake-up per remote call. The calls still answer.
   */
  @Test
  void answersOfTheOtherMemberAreHandledWithoutResponseThreads() {
    Set<String> wrongThreads = run(CALLS).await();
    assertTrue(wrongThreads.isEmpty(), "answers handled off the caller's event loop: " + wrongThreads);
    List<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    for (int i = 0; i < 2; i++) {
      String prefix = "hz." + cluster.members.get(i).getName() + ".";
      List<String> responseThreads = threads.stream().filter(n -> n.startsWith(prefix) && n.contains("response")).toList();
      assertTrue(responseThreads.isEmpty(), "member " + i + " runs response threads: " + responseThreads);
      assertTrue(threads.stream().anyMatch(n -> n.startsWith(prefix + "IO")),
          "no IO thread named " + prefix + "IO...: thread names changed, this test no longer checks anything");
    }
  }

  /** Opens and closes sessions from one event loop; answers the threads that saw an answer elsewhere. */
  private static Future<Set<String>> run(int calls) {
    Context context = vertx.getOrCreateContext();
    Promise<Set<String>> done = Promise.promise();
    Set<String> wrong = ConcurrentHashMap.newKeySet();
    context.runOnContext(v -> {
      Thread loop = Thread.currentThread();
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String user = "cb-" + i;
        String session = "s-" + i;
        // two rooms: what concerns several rooms is one batch call (submitToKeys)
        all.add(registry.sessionOpened(session, user, ROOMS)
            .andThen(ar -> check(loop, wrong))
            .compose(first -> registry.rooms(ROOMS, 10))
            .andThen(ar -> check(loop, wrong))
            .compose(listed -> registry.sessionClosed(session, user, ROOMS))
            .andThen(ar -> check(loop, wrong))
            .compose(closed -> registry.isOnline(user))
            .andThen(ar -> check(loop, wrong)));
      }
      Future.all(all).onComplete(ar -> done.handle(ar.map(wrong)));
    });
    return done.future();
  }

  private static void check(Thread loop, Set<String> wrong) {
    if (Thread.currentThread() != loop) {
      wrong.add(Thread.currentThread().getName());
    }
  }
}
