package io.switchboard.client.java;

import io.switchboard.support.NodeProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HTTP API (docs/api.md) as a backend calls it: what the server stored and who is connected. */
final class NodeApi {

  /** One message of a stream's log. */
  record Stored(long seq, String id, String from) {
  }

  private final String key;

  NodeApi(String key) {
    this.key = key;
  }

  /** The whole log of {@code stream}, oldest first. */
  List<Stored> history(NodeProcess node, String stream) throws IOException, InterruptedException {
    List<Stored> out = new ArrayList<>();
    Long from = 1L;
    while (from != null) {
      JsonObject page = get(node, "/api/v1/streams/" + stream + "/messages?from=" + from + "&limit=1000");
      for (Object o : page.getJsonArray("messages", new JsonArray())) {
        JsonObject m = (JsonObject) o;
        out.add(new Stored(m.getLong("seq"), m.getString("id"), m.getString("from")));
      }
      from = page.getLong("next");
    }
    return out;
  }

  /** The seq of each id in the log of {@code stream}; fails when an id is stored more than once. */
  Map<String, Long> storedOnce(NodeProcess node, String stream) throws IOException, InterruptedException {
    Map<String, Long> seqs = new HashMap<>();
    for (Stored s : history(node, stream)) {
      Long before = seqs.put(s.id(), s.seq());
      if (before != null) {
        throw new AssertionError(stream + ": id " + s.id() + " stored twice, as #" + before + " and #" + s.seq());
      }
    }
    return seqs;
  }

  /** Whether the user has a session on any node. */
  boolean online(NodeProcess node, String user) throws IOException, InterruptedException {
    return get(node, "/api/v1/users/" + user + "/presence").getBoolean("online");
  }

  void disconnect(NodeProcess node, String user, String reason) throws IOException, InterruptedException {
    HttpResponse<String> r = post(node, "/api/v1/users/" + user + "/disconnect", new JsonObject().put("reason", reason).encode());
    assertEquals(202, r.statusCode(), r.body());
  }

  /** Drains the node that receives the request: its sessions get {@code reconnect} and 1012, then it exits. */
  void drain(NodeProcess node) throws IOException, InterruptedException {
    HttpResponse<String> r = post(node, "/api/v1/drain", "");
    assertEquals(202, r.statusCode(), r.body());
  }

  /** The number of nodes the cluster lists, or -1 when the node does not answer. */
  int nodes(NodeProcess via) {
    try {
      return get(via, "/api/v1/nodes").getJsonArray("nodes", new JsonArray()).size();
    } catch (Exception e) {
      return -1;
    }
  }

  private JsonObject get(NodeProcess node, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = node.send(request(node, path).GET().build());
    assertEquals(200, r.statusCode(), "GET " + path + ": " + r.body());
    return new JsonObject(r.body());
  }

  private HttpResponse<String> post(NodeProcess node, String path, String body) throws IOException, InterruptedException {
    return node.send(request(node, path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpRequest.Builder request(NodeProcess node, String path) {
    return HttpRequest.newBuilder(node.uri(path)).header("X-API-Key", key).timeout(Duration.ofSeconds(10));
  }
}
