package io.switchboard.cluster;

import io.switchboard.routing.Addresses;
import io.switchboard.routing.UserLocator;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.eventbus.impl.clustered.DefaultNodeSelector;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the nodes a clustered event-bus message goes to. For a user stream's address
 * ({@link Addresses#isUserStream}) the nodes are those presence counts the user's sessions on
 * ({@link UserLocator}), plus this node; for every other address, Vert.x's own selector over its
 * registration table.
 *
 * <p>Why: Vert.x records each clustered consumer in a Hazelcast multimap whose entry events reach
 * every member, and a user stream's consumer comes and goes with every connect and disconnect, so
 * every node added made every connect anywhere cost more. Presence already records, per user, the
 * nodes holding their sessions, once per connect whatever the cluster size
 * ({@link SwitchboardClusterManager} keeps user addresses out of the table). The price is a
 * presence read per message to a user, where the entry lives, or an answer of this node's from the
 * last {@link RecentRoutes#MAX_AGE_MS}.
 *
 * <p>A lookup starts when its message is published, after the message was stored: a session
 * counted before that is in the answer, and a session counted later read its heads after being
 * counted, so the message is in its replay. A reused answer may miss a session counted since its
 * lookup: that session's user stream is read again a moment later (see {@link RecentRoutes}).
 * Answers are handed to Vert.x in the order the messages were published to the address, whatever
 * order the lookups complete in. A lookup that fails sends to this node only; the other nodes'
 * sessions read the message from the log (the repair sweep).
 */
public final class PresenceNodeSelector implements NodeSelector {

  private final NodeSelector table = new DefaultNodeSelector();
  private final ConcurrentHashMap<String, Future<Set<String>>> tails = new ConcurrentHashMap<>();
  private final RecentRoutes routes = new RecentRoutes();
  private volatile ClusteredNode node;
  private volatile UserLocator locator;
  private volatile Runnable lookupFailed = () -> { };

  /** From now on user addresses are routed by {@code locator}; until then, to this node only. */
  public void routeUsers(UserLocator locator, Runnable lookupFailed) {
    this.lookupFailed = lookupFailed;
    this.locator = locator;
  }

  @Override
  public void init(ClusteredNode node) {
    this.node = node;
    table.init(node);
  }

  @Override
  public void eventBusStarted() {
    table.eventBusStarted();
  }

  @Override
  public void selectForSend(String address, Completable<String> promise) {
    if (!Addresses.isUserStream(address)) {
      table.selectForSend(address, promise);
      return;
    }
    // nothing sends point-to-point to a user stream; if something does, one of the user's nodes
    nodes(address).onSuccess(nodes -> promise.succeed(nodes.iterator().next()));
  }

  @Override
  public void selectForPublish(String address, Completable<Iterable<String>> promise) {
    if (!Addresses.isUserStream(address)) {
      table.selectForPublish(address, promise);
      return;
    }
    nodes(address).onSuccess(promise::succeed);
  }

  /** The user's nodes and this one, in publish order per address; never fails. */
  private Future<Set<String>> nodes(String address) {
    String self = node.getNodeId();
    UserLocator where = locator;
    String user = Addresses.userOf(address);
    long started = System.nanoTime();
    Set<String> recent = where == null ? Set.of(self) : routes.get(user, started);
    Future<Set<String>> lookup = recent != null
        ? Future.succeededFuture(recent)
        : where.nodesOf(user).map(found -> {
          Set<String> all = new HashSet<>(found);
          all.add(self);
          Set<String> answer = Set.copyOf(all);
          routes.put(user, answer, started);
          return answer;
        }).recover(e -> {
          lookupFailed.run();
          return Future.succeededFuture(Set.of(self));
        });
    Future<Set<String>> inOrder = tails.compute(address, (a, before) -> before == null ? lookup : before.transform(ar -> lookup));
    inOrder.onComplete(ar -> tails.remove(address, inOrder));
    return inOrder;
  }

  @Override
  public boolean wantsUpdatesFor(String address) {
    return !Addresses.isUserStream(address) && table.wantsUpdatesFor(address);
  }

  @Override
  public void registrationsUpdated(RegistrationUpdateEvent event) {
    if (!Addresses.isUserStream(event.address())) {
      table.registrationsUpdated(event);
    }
  }
}
