package io.switchboard.cluster;

import io.switchboard.routing.FeedRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The answers of this node's recent user lookups ({@link PresenceNodeSelector}), each reused for at
 * most {@link #MAX_AGE_MS} after its lookup started. A chat sends a user several messages a second;
 * a Hazelcast read for each of them cost more CPU than the rest of the message's path.
 *
 * <p>An answer this old may miss a session counted since: the hello of such a session has its user
 * stream's head read again {@link FeedRegistry#CHECK_SOON_MS} (longer than this) after counting
 * it, so a message routed by a stale answer reaches it from the log within that time. Bounded in size:
 * past {@link #MAX_ENTRIES} the expired answers are dropped, and while it stays full nothing new is
 * kept.
 */
final class RecentRoutes {

  /** Half the time after which a new session's user stream is read again, so that one read covers it. */
  static final long MAX_AGE_MS = FeedRegistry.CHECK_SOON_MS / 2;
  static final int MAX_ENTRIES = 50_000;
  private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MS);

  private record Answer(Set<String> nodes, long lookedUpAt) {
  }

  private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

  /** The user's nodes as a lookup started at most MAX_AGE_MS before {@code now} found them, or null. */
  Set<String> get(String user, long now) {
    Answer a = answers.get(user);
    return a != null && now - a.lookedUpAt < MAX_AGE_NANOS ? a.nodes : null;
  }

  /** @param lookedUpAt when the lookup started ({@link System#nanoTime()}): its answer is as old as that */
  void put(String user, Set<String> nodes, long lookedUpAt) {
    if (answers.size() >= MAX_ENTRIES) {
      long now = System.nanoTime();
      answers.values().removeIf(a -> now - a.lookedUpAt >= MAX_AGE_NANOS);
      if (answers.size() >= MAX_ENTRIES) {
        return;
      }
    }
    answers.merge(user, new Answer(nodes, lookedUpAt), (old, fresh) -> fresh.lookedUpAt - old.lookedUpAt > 0 ? fresh : old);
  }

  int size() {
    return answers.size();
  }
}
