package io.switchboard.routing;

import io.switchboard.cluster.HazelcastSetup;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.store.StoredMessage;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A clustered registration that Hazelcast refuses (a migration, a partition) must leave nothing
 * behind: a consumer still registered locally would take the stream's deliveries for a feed that no
 * longer exists, and keep the address alive on this node.
 */
class EventBusStreamBusTest {

  /** Hazelcast's cluster manager, refusing the registration of chosen addresses. */
  static final class RefusingClusterManager extends HazelcastClusterManager {
    RefusingClusterManager(com.hazelcast.config.Config config) {
      super(config);
    }

    @Override
    public void addRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
      if (address.endsWith(":refused")) {
        promise.fail("refused by the test");
      } else {
        super.addRegistration(address, info, promise);
      }
    }
  }

  @Test
  void aRefusedRegistrationLeavesNoConsumerBehind() {
    SwitchboardOptions options = ConfigLoader.load(new JsonObject().put("cluster", new JsonObject()
        .put("name", "bus-" + ThreadLocalRandom.current().nextInt(1 << 30))
        .put("port", 10_000 + ThreadLocalRandom.current().nextInt(200) * 100)
        .put("members", new JsonArray().add("127.0.0.1"))), Map.of());
    Vertx vertx = Vertx.builder().withClusterManager(new RefusingClusterManager(HazelcastSetup.config(options.getCluster())))
        .buildClustered().await();
    try {
      EventBusStreamBus bus = new EventBusStreamBus(vertx);
      assertThrows(RuntimeException.class, () -> bus.subscribe("room:refused", d -> { }).await());
      Delivery d = Delivery.message(new StoredMessage("room:refused", 1, 1, "m", "alice", "1", 0), 0);
      ReplyException e = assertThrows(ReplyException.class, () -> vertx.eventBus()
          .request(Addresses.stream("room:refused"), d, new DeliveryOptions().setSendTimeout(10_000)).await());
      assertEquals(ReplyFailure.NO_HANDLERS, e.failureType(), "a consumer was left registered: " + e.getMessage());
    } finally {
      vertx.close().await();
    }
  }
}
