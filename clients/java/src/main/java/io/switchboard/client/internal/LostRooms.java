package io.switchboard.client.internal;

import io.switchboard.client.Completion;
import io.switchboard.client.Position;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rooms the client followed before (on its last session, or in its stored positions) that a welcome
 * no longer lists: left on another device, removed through the HTTP API, no longer allowed by the
 * token, or forgotten by a node that lost its store. The client cannot tell these apart, so it joins
 * again only the rooms its queued sends are for (the node would refuse them otherwise), ahead of
 * them; the others stay lost. Confined to the loop thread.
 */
final class LostRooms {

  private final Requests requests;
  private final Dispatcher out;
  /**
   * Room stream → the position held when it was lost (null: followed without one). Kept until the
   * next welcome, or, for a room being joined again, until that join is answered: a connection lost
   * before the answer must not turn a lost history into one that seems whole.
   */
  private Map<String, Position> lost = new LinkedHashMap<String, Position>();

  LostRooms(Requests requests, Dispatcher out) {
    this.requests = requests;
    this.out = out;
  }

  /**
   * A welcome listing {@code listed}, while the client followed {@code followed} and held
   * {@code live}: called before the positions of streams no longer listed are forgotten.
   */
  void welcome(Set<String> listed, Collection<String> followed, Map<String, Position> live) {
    Map<String, Position> now = new LinkedHashMap<String, Position>();
    for (Map.Entry<String, Position> e : lost.entrySet()) {
      if (!listed.contains(e.getKey()) && requests.restoring(room(e.getKey()))) {
        now.put(e.getKey(), e.getValue());
      }
    }
    List<String> before = new ArrayList<String>(followed);
    before.addAll(live.keySet());
    for (String s : before) {
      if (s.startsWith("room:") && !listed.contains(s) && !now.containsKey(s)) {
        now.put(s, live.get(s));
      }
    }
    lost = now;
  }

  /**
   * Joins again, ahead of everything queued, each lost room that queued sends go to.
   *
   * @return the rooms being joined again, those of an earlier welcome whose join is unanswered included
   */
  List<String> rejoin() {
    List<String> rooms = new ArrayList<String>();
    for (String stream : lost.keySet()) {
      if (!awaitsRejoin(stream)) {
        continue;
      }
      String room = room(stream);
      rooms.add(room);
      if (!requests.restoring(room)) {
        Op op = new Op(Op.JOIN, Json.put(Json.put(Json.object(), "type", Op.JOIN), "room", room), true, false, null,
            new Completion<Object>(out), null);
        op.restore = true;
        requests.first(op);
      }
    }
    return rooms;
  }

  /**
   * A lost room that queued sends wait for (being joined again, or about to be): its position stays
   * stored until then, so that a process killed meanwhile leaves the next one knowing the room was
   * followed, and that one joins it again for the sends it restores.
   */
  boolean awaitsRejoin(String stream) {
    if (!lost.containsKey(stream)) {
      return false;
    }
    String room = room(stream);
    return requests.restoring(room) || requests.waitFor(room);
  }

  boolean contains(String stream) {
    return lost.containsKey(stream);
  }

  /** The room is followed again: the position held when it was lost (null when none), forgotten. */
  Position take(String stream) {
    return lost.remove(stream);
  }

  private static String room(String stream) {
    return stream.substring("room:".length());
  }
}
