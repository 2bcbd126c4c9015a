package io.switchboard.presence.hazelcast;

import io.switchboard.config.ConfigLoader;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.PresenceService;
import io.switchboard.routing.Delivery;
import io.switchboard.routing.StreamBus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's first session tells their rooms with the counts the writes that counted the user there
 * answered (no read of their own): rooms up to presence.maxRoomOnline hear a presence frame, larger
 * ones do not. Two Hazelcast members, so that some rooms live on the other one.
 */
class PresenceFramesTest {

  static final int MAX_ROOM_ONLINE = 2;
  static final ConcurrentLinkedQueue<JsonObject> told = new ConcurrentLinkedQueue<>();
  static RegistryOnTwoMembers cluster;
  static Vertx vertx;
  static HazelcastPresenceRegistry registry;
  static PresenceService presence;

  @BeforeAll
  static void start() {
    cluster = new RegistryOnTwoMembers();
    vertx = cluster.vertx;
    registry = cluster.registry;
    StreamBus bus = (StreamBus) Proxy.newProxyInstance(PresenceFramesTest.class.getClassLoader(), new Class<?>[]{StreamBus.class},
        (proxy, method, args) -> {
          if (method.getName().equals("publish")) {
            told.add(new JsonObject(((Delivery) args[0]).frame()));
          }
          return null;
        });
    presence = new PresenceService(vertx, registry, bus, ConfigLoader.load(new JsonObject()
        .put("presence", new JsonObject().put("maxRoomOnline", MAX_ROOM_ONLINE)), Map.of()).getPresence());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aFirstSessionAnswersEachRoomsCountAfterCountingTheUserThere() {
    List<String> rooms = List.of("pf-a1", "pf-a2", "pf-a3", "pf-a4", "pf-a5", "pf-a6");
    registry.sessionOpened("s-other", "pf-other", List.of("pf-a1")).await();
    PresenceRegistry.Opened opened = registry.sessionOpened("s-first", "pf-first", rooms).await();
    assertTrue(opened.first());
    assertEquals(2, opened.counts().get("pf-a1"), opened.toString());
    rooms.subList(1, rooms.size()).forEach(r -> assertEquals(1, opened.counts().get(r), r + ": " + opened));
    PresenceRegistry.Opened second = registry.sessionOpened("s-second", "pf-first", rooms).await();
    assertEquals(new PresenceRegistry.Opened(false, null), second, "a second session writes no room");
  }

  @Test
  void roomsUpToTheLimitHearTheArrivalAndLargerOnesDoNot() {
    presence.opened("s1", "pf-u1", List.of("pf-big", "pf-small")).await();
    presence.opened("s2", "pf-u2", List.of("pf-big")).await();
    presence.opened("s3", "pf-u3", List.of("pf-big")).await();
    presence.settled().await();
    assertEquals(List.of("pf-big pf-u1", "pf-small pf-u1", "pf-big pf-u2"),
        told.stream().filter(f -> "online".equals(f.getString("state")))
            .map(f -> f.getString("room") + " " + f.getString("user")).sorted((a, b) -> order(a) - order(b)).toList(),
        "presence frames told: " + told);
  }

  /** Frames of one user's rooms are told in any order; users in the order they came. */
  private static int order(String roomAndUser) {
    return Integer.parseInt(roomAndUser.substring(roomAndUser.length() - 1)) * 10 + (roomAndUser.startsWith("pf-big") ? 0 : 1);
  }
}
