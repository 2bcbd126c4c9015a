package io.switchboard.support;

import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.RoomPresence;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A presence registry that passes every call to another, default methods included (the listeners
 * the presence service registers must reach the registry that calls them); tests override what
 * they change.
 */
public abstract class ForwardingPresence implements PresenceRegistry {

  protected final PresenceRegistry inner;

  protected ForwardingPresence(PresenceRegistry inner) {
    this.inner = inner;
  }

  @Override
  public Future<Opened> sessionOpened(String session, String user, Collection<String> rooms) {
    return inner.sessionOpened(session, user, rooms);
  }

  /**
   * Through this registry's own {@link #sessionOpened(String, String, Collection)}, not the inner
   * one's: a test that changes how sessions open changes the hello's count too. The welcome's lists
   * are then read after it, as for a registry that cannot tell them with the count.
   */
  @Override
  public Future<Opened> sessionOpened(String session, String user, Collection<String> rooms, int limit) {
    return sessionOpened(session, user, rooms);
  }

  @Override
  public Future<Closed> sessionClosed(String session, String user, Collection<String> rooms) {
    return inner.sessionClosed(session, user, rooms);
  }

  @Override
  public Future<Boolean> sessionRepublished(String session, String user, Collection<String> rooms) {
    return inner.sessionRepublished(session, user, rooms);
  }

  @Override
  public Future<Void> joined(String room, String user) {
    return inner.joined(room, user);
  }

  @Override
  public Future<Void> left(String room, String user) {
    return inner.left(room, user);
  }

  @Override
  public Future<RoomPresence> room(String room, int limit) {
    return inner.room(room, limit);
  }

  @Override
  public Future<Map<String, RoomPresence>> rooms(Collection<String> rooms, int limit) {
    return inner.rooms(rooms, limit);
  }

  @Override
  public Future<Boolean> isOnline(String user) {
    return inner.isOnline(user);
  }

  @Override
  public Future<Integer> sessions(String user) {
    return inner.sessions(user);
  }

  @Override
  public boolean known(String key) {
    return inner.known(key);
  }

  @Override
  public Future<Map<String, Held>> ownSessions() {
    return inner.ownSessions();
  }

  @Override
  public void onLost(BiConsumer<String, Set<String>> listener) {
    inner.onLost(listener);
  }

  @Override
  public void onMerged(Supplier<Future<Void>> listener) {
    inner.onMerged(listener);
  }

  @Override
  public void close() {
    inner.close();
  }
}
