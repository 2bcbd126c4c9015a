package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.RoomPresence;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.Position;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.TreeSet;

/**
 * GET /rooms/{room}: everything an operator looks up about a room: members, who is online, where its
 * log stands, how long it keeps messages, and its last messages. Presence this node cannot know
 * (see {@link PresenceRegistry#known}) shows as null rather than failing the whole look-up.
 */
final class RoomLookup {

  static final int DEFAULT_MESSAGES = 20;
  static final int MAX_MEMBERS = 1000;

  private final Services services;

  RoomLookup(Services services) {
    this.services = services;
  }

  void mount(Router api) {
    api.get("/rooms/:room").handler(this::lookUp);
  }

  private void lookUp(RoutingContext ctx) {
    try {
      String room = Params.room(ctx, "room");
      int last = (int) Params.longParam(ctx, "messages", DEFAULT_MESSAGES, 0, 100);
      String stream = StreamName.room(room);
      PresenceRegistry registry = services.presence().registry();
      Future<RoomPresence> online = ApiResponses.ifKnown(registry, room, registry.room(room, services.options().getPresence().getMaxListed()))
          .otherwise((RoomPresence) null);
      Future<JsonObject> log = services.store().heads(List.of(stream)).compose(heads -> {
        long head = heads.getOrDefault(stream, Position.NONE).seq();
        return services.store().read(stream, Math.max(1, head - last + 1), Math.max(1, last))
            .map(page -> MessagesApi.page(stream, page));
      });
      ApiResponses.reply(ctx, services.store().members(room).compose(members -> Future.all(online, log).map(v -> {
        JsonObject page = log.result();
        RoomPresence p = online.result();
        return new JsonObject().put("room", room)
            .put("members", new JsonArray(new TreeSet<>(members).stream().limit(MAX_MEMBERS).toList()))
            .put("memberCount", members.size())
            .put("online", p == null ? null : new JsonArray(p.users())).put("onlineCount", p == null ? null : p.count())
            .put("head", page.getLong("head")).put("epoch", page.getString("epoch"))
            .put("firstAvailable", page.getLong("firstAvailable"))
            .put("retention", new JsonObject().put("maxMessages", services.options().getStore().getRetentionMessages())
                .put("maxAgeSeconds", services.options().getStore().getRetentionSeconds()))
            .put("messages", last == 0 ? new JsonArray() : page.getJsonArray("messages"));
      })));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }
}
