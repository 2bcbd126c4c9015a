package io.switchboard.api;

import io.switchboard.cluster.NodeInfo;
import io.switchboard.gateway.Services;
import io.switchboard.protocol.StreamName;
import io.switchboard.routing.Addresses;
import io.switchboard.store.Position;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * GET /users/{user}: everything an operator looks up about a user. The open sessions come from the
 * nodes that hold them (each node is asked; one that does not answer in time is named in
 * {@code unanswered}), the rooms and the devices' cursors from the store.
 */
final class UserLookup {

  /** A node that has not answered by then is listed as unanswered. */
  static final long NODE_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Services services;

  UserLookup(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  void mount(Router api) {
    api.get("/users/:user").handler(this::lookUp);
  }

  private void lookUp(RoutingContext ctx) {
    try {
      String user = Params.id(ctx, "user");
      ApiResponses.reply(ctx, sessions(user).compose(sessions -> services.store().rooms(user).compose(rooms ->
          cursors(user, rooms.keySet()).map(devices -> {
            JsonArray roomList = new JsonArray();
            new TreeMap<>(rooms).forEach((room, m) -> roomList.add(new JsonObject().put("room", room).put("granted", m.granted())));
            return sessions.put("user", user).put("online", !sessions.getJsonArray("sessions").isEmpty())
                .put("rooms", roomList).put("devices", devices);
          }))));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  /** {"sessions": [...], "unanswered": [node names]}: every node is asked for its own. */
  private Future<JsonObject> sessions(String user) {
    return services.directory().nodes().compose(nodes -> {
      List<Future<JsonArray>> answers = new ArrayList<>();
      for (NodeInfo node : nodes) {
        answers.add(vertx.eventBus().<JsonObject>request(Addresses.sessions(node.id()), new JsonObject().put("user", user),
                new DeliveryOptions().setSendTimeout(NODE_TIMEOUT_MS))
            .map(reply -> {
              JsonArray own = reply.body().getJsonArray("sessions");
              own.forEach(s -> ((JsonObject) s).put("node", node.name()).put("nodeId", node.id()));
              return own;
            }));
      }
      return Future.join(answers).transform(ar -> {
        JsonArray sessions = new JsonArray();
        JsonArray unanswered = new JsonArray();
        for (int i = 0; i < answers.size(); i++) {
          if (answers.get(i).succeeded()) {
            answers.get(i).result().forEach(sessions::add);
          } else {
            unanswered.add(nodes.get(i).name());
          }
        }
        return Future.succeededFuture(new JsonObject().put("sessions", sessions).put("unanswered", unanswered));
      });
    });
  }

  /** Each device the store keeps cursors for, with its cursor in each of the user's streams. */
  private Future<JsonArray> cursors(String user, Set<String> rooms) {
    List<String> streams = new ArrayList<>(List.of(StreamName.user(user), StreamName.ALL));
    rooms.stream().sorted().map(StreamName::room).forEach(streams::add);
    return services.store().devices(user).compose(devices -> {
      List<String> sorted = devices.stream().sorted().toList();
      List<Future<Map<String, Position>>> each = sorted.stream().map(d -> services.store().cursors(user, d, streams)).toList();
      return Future.all(each).map(v -> {
        JsonArray out = new JsonArray();
        for (int i = 0; i < sorted.size(); i++) {
          JsonArray cursors = new JsonArray();
          Map<String, Position> at = each.get(i).result();
          for (String stream : streams) {
            Position p = at.get(stream);
            if (p != null && p.seq() > 0) {
              cursors.add(new JsonObject().put("stream", stream).put("seq", p.seq()).put("epoch", Position.wireEpoch(p.epoch())));
            }
          }
          out.add(new JsonObject().put("device", sorted.get(i)).put("cursors", cursors));
        }
        return out;
      });
    });
  }
}
