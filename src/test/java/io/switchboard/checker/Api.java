package io.switchboard.checker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The HTTP API of one node, as a backend calls it. Every call is bounded; a failure is a status of -1. */
final class Api {

  static final String KEY = "checker-api-key-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  static final Duration TIMEOUT = Duration.ofSeconds(6);

  record Answer(int status, JsonObject json, String text) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
      return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
  }

  /** A page-by-page read of a stream's log: what the store holds now. */
  record Log(String stream, long head, long firstAvailable, String epoch, List<JsonObject> messages) {
  }

  private final int port;

  Api(int port) {
    this.port = port;
  }

  Answer get(String path) {
    return call(HttpRequest.newBuilder(uri(path)).GET());
  }

  Answer post(String path, JsonObject body) {
    return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode())));
  }

  Answer put(String path) {
    return call(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  Answer delete(String path) {
    return call(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Answer send(String stream, String from, String id, String body) {
    JsonObject b = new JsonObject().put("body", body).put("from", from);
    if (id != null) {
      b.put("id", id);
    }
    return post("/api/v1/streams/" + enc(stream) + "/messages", b);
  }

  Answer join(String room, String user) {
    return put("/api/v1/rooms/" + enc(room) + "/members/" + enc(user));
  }

  Answer leave(String room, String user) {
    return delete("/api/v1/rooms/" + enc(room) + "/members/" + enc(user));
  }

  Answer disconnect(String user) {
    return post("/api/v1/users/" + enc(user) + "/disconnect", new JsonObject().put("reason", "checker"));
  }

  Answer members(String room) {
    return get("/api/v1/rooms/" + enc(room) + "/members");
  }

  Answer userPresence(String user) {
    return get("/api/v1/users/" + enc(user) + "/presence");
  }

  Answer roomPresence(String room) {
    return get("/api/v1/rooms/" + enc(room) + "/presence?limit=1000");
  }

  Answer nodes() {
    return get("/api/v1/nodes");
  }

  /** A stream's head and epoch now (epoch null while the server names none). */
  record Head(long head, String epoch) {
  }

  Head head(String stream) {
    Answer a = get("/api/v1/streams/" + enc(stream) + "/messages?limit=1&from=1");
    if (!a.ok() || a.json() == null) {
      return null;
    }
    Object e = a.json().getValue("epoch");
    return new Head(a.json().getLong("head", 0L), e == null ? null : String.valueOf(e));
  }

  /** A token from /dev/token (dev mode only), or null. */
  String devToken(String user) {
    Answer a = call(HttpRequest.newBuilder(uri("/dev/token?user=" + enc(user))).GET(), false);
    return a.ok() && a.json() != null ? a.json().getString("token") : null;
  }

  Answer ready() {
    return call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).GET(), false);
  }

  /** The whole retained log of a stream, or null when the node did not answer. */
  Log log(String stream) {
    List<JsonObject> messages = new ArrayList<>();
    long from = 1;
    long head = 0;
    long first = 1;
    String epoch = null;
    for (int page = 0; page < 100; page++) {
      Answer a = get("/api/v1/streams/" + enc(stream) + "/messages?limit=1000&from=" + from);
      if (!a.ok()) {
        return null;
      }
      JsonObject j = a.json();
      if (page == 0) {
        first = j.getLong("firstAvailable", 1L);
        epoch = j.getValue("epoch") == null ? null : String.valueOf(j.getValue("epoch"));
      }
      head = j.getLong("head", 0L);
      JsonArray ms = j.getJsonArray("messages", new JsonArray());
      ms.forEach(m -> messages.add((JsonObject) m));
      Long next = j.getLong("next");
      if (next == null || ms.isEmpty()) {
        break;
      }
      from = next;
    }
    return new Log(stream, head, first, epoch, messages);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private Answer call(HttpRequest.Builder b) {
    return call(b, true);
  }

  private Answer call(HttpRequest.Builder b, boolean key) {
    if (key) {
      b.header("Authorization", "Bearer " + KEY);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject json = null;
      try {
        json = r.body().startsWith("{") ? new JsonObject(r.body()) : null;
      } catch (RuntimeException notJson) {
        // kept as text
      }
      return new Answer(r.statusCode(), json, r.body());
    } catch (IOException e) {
      return new Answer(-1, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, null, "interrupted");
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
