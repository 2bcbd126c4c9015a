package io.switchboard.checker;

import io.switchboard.presence.PresenceRegistry;
import io.switchboard.support.ForwardingPresence;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's presence registry with the faults Hazelcast and a dying member cause, on the checker's
 * command: the next n session opens (or closes) run twice, the second once the first is done, as
 * when Hazelcast runs an entry processor again because the member that ran it left before
 * answering (the caller gets the second run's answer, the first one's was lost); the next n closes
 * fail without reaching the registry, as a call lost with a member. Everything else passes through,
 * default methods included: the listeners the presence service registers must reach the registry
 * that calls them ({@link ForwardingPresence}).
 */
final class FaultPresence extends ForwardingPresence {

  private final AtomicInteger dupOpen = new AtomicInteger();
  private final AtomicInteger dupClose = new AtomicInteger();
  private final AtomicInteger failClose = new AtomicInteger();
  private final AtomicInteger openedTwice = new AtomicInteger();
  private final AtomicInteger closedTwice = new AtomicInteger();
  private final AtomicInteger closesFailed = new AtomicInteger();

  FaultPresence(PresenceRegistry inner) {
    super(inner);
  }

  void dupOpen(int n) {
    dupOpen.addAndGet(n);
  }

  void dupClose(int n) {
    dupClose.addAndGet(n);
  }

  void failClose(int n) {
    failClose.addAndGet(n);
  }

  void clear() {
    dupOpen.set(0);
    dupClose.set(0);
    failClose.set(0);
  }

  /** What was done and what is still armed, for the checker's trace. */
  String stats() {
    return "opened-twice=" + openedTwice.get() + " closed-twice=" + closedTwice.get() + " closes-failed=" + closesFailed.get()
        + " armed=dup-open:" + dupOpen.get() + ",dup-close:" + dupClose.get() + ",fail-close:" + failClose.get();
  }

  @Override
  public Future<Opened> sessionOpened(String session, String user, Collection<String> rooms) {
    if (take(dupOpen)) {
      openedTwice.incrementAndGet();
      return inner.sessionOpened(session, user, rooms).compose(lost -> inner.sessionOpened(session, user, rooms));
    }
    return inner.sessionOpened(session, user, rooms);
  }

  @Override
  public Future<Closed> sessionClosed(String session, String user, Collection<String> rooms) {
    if (take(failClose)) {
      closesFailed.incrementAndGet();
      return Future.failedFuture("checker: presence close of " + session + " lost on purpose");
    }
    if (take(dupClose)) {
      closedTwice.incrementAndGet();
      return inner.sessionClosed(session, user, rooms).compose(lost -> inner.sessionClosed(session, user, rooms));
    }
    return inner.sessionClosed(session, user, rooms);
  }

  private static boolean take(AtomicInteger armed) {
    return armed.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }
}
