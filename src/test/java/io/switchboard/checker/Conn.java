package io.switchboard.checker;

import io.switchboard.support.RawWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One WebSocket connection of a simulated device, and the reference model of its session: for
 * every stream it follows, where it must start (the resume position, else the device's cursor,
 * else the head), the next seq it must get, and what it was told. Each frame is checked as it
 * arrives, on the connection's reader thread; what needs the log's final state is left to
 * {@link Model#finish}, what needs time (the repair bound) to the quiet checkpoints.
 */
final class Conn {

  enum TokenKind { NORMAL, NARROW, STRING_EXP, DEV }

  /** What the checker expects as the answer to a request. */
  enum Expect { ANSWER, BAD_REQUEST }

  /** Client frames the server answers, so they carry a ref. */
  private static final Set<String> REQUESTS = Set.of("send", "join", "leave", "ping");

  static final class Request {
    final String ref;
    final String type;
    final String target;
    final Device.Outgoing out;
    final Expect expect;
    final int order;
    final int event;
    final long at;
    JsonObject answer;

    Request(String ref, String type, String target, Device.Outgoing out, Expect expect, int order, int event, long at) {
      this.ref = ref;
      this.type = type;
      this.target = target;
      this.out = out;
      this.expect = expect;
      this.order = order;
      this.event = event;
      this.at = at;
    }
  }

  /** Where a followed stream must start; fixed by the first frame about it when only bounded. */
  static final class Follow {
    final String stream;
    String epoch;
    /** The next seq the session must get; 0 while the start is only bounded. */
    long next;
    /** When next is 0: the start may be at most this (a stored cursor + 1), or -1 for no bound. */
    long startAtMost = -1;
    /** When next is 0: the start may also be exactly this (the head + 1: no cursor after all). */
    long orStart = -1;
    /** The stream started over (the resume named another epoch): a reset must come first. */
    boolean awaitReset;
    /** A reset may come first (a cursor of an older epoch). */
    boolean resetAllowed;
    final boolean inWelcome;
    boolean resumed;
    long resumedFrom = -1;

    Follow(String stream, String epoch, boolean inWelcome) {
      this.stream = stream;
      this.epoch = epoch;
      this.inWelcome = inWelcome;
    }

    boolean started() {
      return next > 0;
    }

    long delivered() {
      return next - 1;
    }
  }

  final int id;
  final Device device;
  final int node;
  final TokenKind token;
  /** Rooms the token allows (null: all, the "*" pattern). */
  final Set<String> allowedRooms;
  final Map<String, Position> resume;
  private final Model model;
  private final Trace trace;
  private final RawWebSocket ws;
  private final Object writeLock = new Object();
  private Thread reader;
  final int helloEvent;
  final long helloAt;

  // guarded by this
  private JsonObject welcome;
  private int welcomeEvent = -1;
  private final Map<String, Follow> follows = new LinkedHashMap<>();
  private final Map<String, Request> requests = new HashMap<>();
  private final List<Model.Fresh> fresh = new ArrayList<>();
  private int nextRef;
  private String lastRef;
  private final Set<String> welcomeStreams = new java.util.HashSet<>();
  private final Set<String> resumedStreams = new java.util.HashSet<>();
  private int order;
  private Integer closeCode;
  private String closeReason;
  private long closedAt = -1;
  private int closeEvent = -1;
  private boolean clientClosed;

  private Conn(int id, Device device, int node, TokenKind token, Set<String> allowedRooms, Map<String, Position> resume,
               Model model, RawWebSocket ws, int helloEvent) {
    this.id = id;
    this.device = device;
    this.node = node;
    this.token = token;
    this.allowedRooms = allowedRooms;
    this.resume = resume;
    this.model = model;
    this.trace = model.trace;
    this.ws = ws;
    this.helloEvent = helloEvent;
    this.helloAt = trace.now();
  }

  /**
   * Connects, then writes hello and the pipelined frames in one write, without waiting for
   * anything: a mobile client on a slow link does the same. Null when the node refused the upgrade.
   */
  static Conn open(int id, Device device, int node, int port, TokenKind token, String jwt, Set<String> allowedRooms,
                   Map<String, Position> resume, List<JsonObject> pipelined, Model model) {
    RawWebSocket ws;
    try {
      ws = RawWebSocket.connect(port, Map.of(), 5_000);
      ws.setReadTimeout(0);
    } catch (IOException | RuntimeException e) {
      model.trace.add("conn", device.label, device.user, null, "connect to n" + node + " failed: " + e.getMessage());
      return null;
    }
    JsonObject hello = new JsonObject().put("type", "hello").put("token", jwt);
    if (device.deviceId != null) {
      hello.put("device", device.deviceId);
    }
    if (resume != null && !resume.isEmpty()) {
      JsonObject r = new JsonObject();
      resume.forEach((s, p) -> r.put(s, p.wire()));
      hello.put("resume", r);
    }
    int event = model.trace.add("hello", device.label, device.user, null, "c" + id + " -> n" + node + " token " + token
        + (allowedRooms == null ? "" : " rooms " + allowedRooms) + " resume " + (hello.containsKey("resume") ? hello.getJsonObject("resume").encode() : "-")
        + (pipelined.isEmpty() ? "" : " + pipelined " + pipelined.size())).n();
    Conn c = new Conn(id, device, node, token, allowedRooms, resume == null ? Map.of() : resume, model, ws, event);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] h = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, hello.encode().getBytes(StandardCharsets.UTF_8));
    all.write(h, 0, h.length);
    for (JsonObject f : pipelined) {
      byte[] b = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, c.prepare(f).getBytes(StandardCharsets.UTF_8));
      all.write(b, 0, b.length);
    }
    c.reader = new Thread(c::read, "checker-c" + id);
    c.reader.setDaemon(true);
    c.reader.start();
    c.writeRaw(all.toByteArray());
    return c;
  }

  // ---- sending ----------------------------------------------------------------------------------

  /** Gives the frame a ref (if it is a request), records it, and returns its text. */
  private String prepare(JsonObject f) {
    String type = f.getString("type");
    Device.Outgoing out = (Device.Outgoing) f.remove("_out");
    Expect expect = f.containsKey("_expect") ? Expect.valueOf((String) f.remove("_expect")) : Expect.ANSWER;
    String text;
    synchronized (this) {
      if (REQUESTS.contains(type) && !f.containsKey("ref")) {
        f.put("ref", id + "." + nextRef++);
      }
      text = type.equals("raw") ? f.getString("text") : f.encode();
      String stream = f.getString("to", f.getString("stream", f.containsKey("room") ? "room:" + f.getString("room") : null));
      int event = trace.add("out", device.label, device.user, stream, "c" + id + " " + text).n();
      String ref = f.getString("ref", f.containsKey("_ref") ? String.valueOf(f.getValue("_ref")) : null);
      if (type.equals("raw")) {
        ref = f.getString("_ref");
      }
      if (ref != null) {
        String target = f.getString("to", f.getString("room"));
        requests.put(ref, new Request(ref, type.equals("raw") ? f.getString("_kind", "raw") : type, target, out, expect,
            order++, event, trace.now()));
      }
      if (out != null) {
        if (out.firstConn < 0) {
          out.firstConn = id;
        }
        out.inFlightOn = id;
        out.attempts++;
      }
      lastRef = ref;
    }
    return text;
  }

  /** Writes one frame (after hello); returns its ref (null for frames without one). */
  String send(JsonObject f) {
    String text;
    String ref;
    synchronized (this) {
      text = prepare(f);
      ref = lastRef;
    }
    writeRaw(RawWebSocket.frame(true, 0, RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8)));
    return ref;
  }

  /** Several frames in one write, as a client that pipelines them; returns their refs. */
  List<String> sendAll(List<JsonObject> frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<String> refs = new ArrayList<>();
    synchronized (this) {
      for (JsonObject f : frames) {
        byte[] b = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, prepare(f).getBytes(StandardCharsets.UTF_8));
        all.write(b, 0, b.length);
        refs.add(lastRef);
      }
    }
    writeRaw(all.toByteArray());
    return refs;
  }

  private boolean writeRaw(byte[] bytes) {
    synchronized (writeLock) {
      try {
        ws.sendRaw(bytes);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** TCP close without a close frame: the server sees the connection drop (1006). */
  void abort() {
    synchronized (this) {
      if (closeCode == null) {
        clientClosed = true;
      }
    }
    trace.add("close", device.label, device.user, null, "c" + id + " dropped by the client (no close frame)");
    ws.close();
    joinReader();
  }

  /** A normal close: close frame 1000, then the server's answer. */
  void closeNormally() {
    synchronized (this) {
      if (closeCode == null) {
        clientClosed = true;
      }
    }
    trace.add("close", device.label, device.user, null, "c" + id + " closed by the client (1000)");
    synchronized (writeLock) {
      try {
        ws.send(true, 0, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xe8});
      } catch (IOException ignored) {
        // already gone
      }
    }
    awaitClose(3_000);
    ws.close();
    joinReader();
  }

  private void joinReader() {
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- receiving --------------------------------------------------------------------------------

  private void read() {
    try {
      while (true) {
        RawWebSocket.Frame f = ws.read();
        if (f.opcode() == RawWebSocket.CLOSE) {
          String reason = f.payload().length > 2 ? new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8) : "";
          closed(f.code(), reason);
          synchronized (writeLock) {
            try {
              ws.send(true, 0, RawWebSocket.CLOSE, f.payload().length >= 2 ? new byte[] {f.payload()[0], f.payload()[1]} : new byte[0]);
            } catch (IOException ignored) {
              // the server may have hung up already
            }
          }
          ws.close();
          return;
        }
        if (f.opcode() == RawWebSocket.TEXT) {
          JsonObject frame = new JsonObject(f.text());
          try {
            receive(frame);
          } catch (RuntimeException e) {
            model.violation(Check.CHECKER, device.label, device.user, null, trace.size(), "c" + id + " could not check "
                + frame.encode() + ": " + e);
          }
          if ("ping".equals(frame.getString("type"))) {
            send(new JsonObject().put("type", "pong"));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      closed(-1, "connection ended: " + e.getClass().getSimpleName());
    }
  }

  private void closed(int code, String reason) {
    synchronized (this) {
      if (closeCode != null) {
        return;
      }
      closeCode = code;
      closeReason = reason;
      closedAt = trace.now();
      closeEvent = trace.add("closed", device.label, device.user, null, "c" + id + " closed " + code + " " + reason
          + (clientClosed ? " (by the client)" : "")).n();
      notifyAll();
    }
  }

  /** A connection without a socket, for checking the model itself against made-up histories. */
  static Conn detached(int id, Device device, Model model, Map<String, Position> resume, Set<String> allowedRooms) {
    return new Conn(id, device, 0, TokenKind.NORMAL, allowedRooms, resume == null ? Map.of() : resume, model, null,
        model.trace.size());
  }

  synchronized void receive(JsonObject f) {
    String type = f.getString("type");
    String stream = f.getString("stream", f.containsKey("room") ? "room:" + f.getString("room") : null);
    int event = trace.add("in", device.label, device.user, stream, "c" + id + " " + abbreviate(f.encode())).n();
    if (welcome == null && !type.equals("welcome")) {
      model.violation(Check.WELCOME_FIRST, device.label, device.user, stream, event, "c" + id + " got " + type
          + " before welcome: " + abbreviate(f.encode()));
    }
    switch (type) {
      case "welcome" -> welcome(f, event);
      case "message" -> message(f, event);
      case "gap" -> gap(f, event);
      case "resumed" -> resumed(f, event);
      case "reset" -> reset(f, event);
      case "joined" -> joined(f, event);
      case "left" -> left(f, event);
      case "sent", "error", "pong" -> answer(f, event);
      default -> {
        // ping (answered by the reader), presence, reconnect: nothing the model tracks
      }
    }
    notifyAll();
  }

  private void welcome(JsonObject w, int event) {
    if (welcome != null) {
      model.violation(Check.WELCOME_FIRST, device.label, device.user, null, event, "c" + id + " got a second welcome");
      return;
    }
    welcome = w;
    welcomeEvent = event;
    JsonObject streams = w.getJsonObject("streams", new JsonObject());
    boolean epochs = false;
    for (String s : streams.fieldNames()) {
      epochs |= streams.getJsonObject(s).containsKey("epoch");
    }
    model.epochsSeen(epochs);
    Map<String, Position> positions = device.positions();
    for (String p : positions.keySet()) {
      if (!streams.containsKey(p)) {
        device.forget(p); // no longer received (left elsewhere)
      }
    }
    for (String s : streams.fieldNames()) {
      JsonObject info = streams.getJsonObject(s);
      long head = info.getLong("head", 0L);
      String epoch = epoch(info);
      model.epochOf(s, epoch);
      Follow fl = new Follow(s, epoch, true);
      follows.put(s, fl);
      welcomeStreams.add(s);
      listed(s, info, "welcome", event);
      if (s.startsWith("room:") && !mayFollow(s.substring(5))) {
        model.violation(Check.FOLLOW, device.label, device.user, s, event, "c" + id + " welcome lists " + s
            + ", which the token does not allow (rooms " + allowedRooms + ") nor the API granted");
      }
      Position r = resume.get(s);
      if (r != null) {
        if (model.epochs() && (r.seq() == 0 || "".equals(r.epoch()))) {
          // nothing held yet: position 0 is the same in any history, with or without a reset first
          fl.next = 1;
          fl.resetAllowed = true;
        } else if (model.epochs() && r.epoch() != null && !r.epoch().equals(epoch)) {
          // the session is still in the history it resumes from until the reset moves it
          fl.awaitReset = true;
          fl.epoch = r.epoch();
        } else if (!model.epochs() && r.seq() > head) {
          // documented: a position above the head means the stream started over; the node replays from 1
          fl.next = 1;
        } else {
          fl.next = r.seq() + 1;
        }
      } else if (device.deviceId != null && device.cursor(s) != null) {
        Device.Cursor c = device.cursor(s);
        fl.startAtMost = c.high + 1;
        fl.resetAllowed = model.epochs();
        boolean sure = !c.uncertain && c.firstAttempt <= helloAt - Contract.CURSOR_WRITE_MS
            && model.quietDuring(c.firstAttempt, Contract.CURSOR_WRITE_MS);
        if (!sure) {
          fl.orStart = head + 1;
        }
      } else if (device.deviceId != null && device.welcomedBefore && s.startsWith("room:")
          && model.joinedAt(device.user, s.substring(5)) != null) {
        // a device away while its user joined the room elsewhere gets the room from the join on
        // (docs/protocol.md, hello); if its cursors were never stored it is a new device: the head
        Position j = model.joinedAt(device.user, s.substring(5));
        boolean sameHistory = !model.epochs() || java.util.Objects.equals(j.epoch() == null ? "" : j.epoch(), epoch);
        fl.startAtMost = sameHistory && j.seq() <= head ? j.seq() + 1 : 1;
        fl.orStart = head + 1;
      } else {
        fl.next = head + 1;
      }
      if (fl.next > 0) {
        device.cursorWrite(s, fl.next - 1, trace.now());
      }
      Position p = positions.get(s);
      if (!model.epochs() && p != null && p.seq() > head) {
        device.position(s, 0, null, false);
      }
    }
    if (device.deviceId != null) {
      device.welcomedBefore = true;
    }
  }

  /** A room this session may follow: its token allows it, or the API granted the membership. */
  boolean mayFollow(String room) {
    return allowedRooms == null || allowedRooms.contains(room) || model.granted(device.user, room);
  }

  private static String epoch(JsonObject info) {
    Object e = info.getValue("epoch");
    return e == null ? null : String.valueOf(e);
  }

  /** The first frame of a stream whose start was only bounded fixes it; check it against the bound. */
  private void fixStart(Follow fl, long start, int event, String what) {
    if (fl.started()) {
      return;
    }
    boolean ok = (fl.startAtMost < 0 || start <= fl.startAtMost) || start == fl.orStart;
    if (!ok) {
      model.violation(Check.START, device.label, device.user, fl.stream, event, "c" + id + " (device " + device.deviceId
          + ", no resume) started " + fl.stream + " at " + start + " (" + what + "), but the device's cursor is at most "
          + (fl.startAtMost - 1) + ": seqs " + fl.startAtMost + ".." + (start - 1) + " skipped with no gap");
    }
    fl.next = start;
    device.cursorWrite(fl.stream, start - 1, trace.now());
  }

  private Follow followed(String stream, String type, int event, JsonObject f) {
    Follow fl = follows.get(stream);
    if (fl == null) {
      boolean allowed = !stream.startsWith("room:") || mayFollow(stream.substring(5));
      model.violation(allowed ? Check.NOT_FOLLOWED : Check.FOLLOW, device.label, device.user, stream, event, "c" + id + " got "
          + type + " of " + stream + ", which it does not follow" + (allowed ? "" : " and its token does not allow")
          + ": " + abbreviate(f.encode()));
    }
    return fl;
  }

  private void message(JsonObject m, int event) {
    String stream = m.getString("stream");
    if (!m.containsKey("seq")) {
      return; // transient: live only, may be lost
    }
    long seq = m.getLong("seq");
    Follow fl = followed(stream, "message " + seq, event, m);
    if (fl != null && model.epochs() && "".equals(fl.epoch)) {
      // the stream had no history when the session started: its first append made an epoch this
      // session was not told (no reset is due for that), so its messages belong to an epoch unknown here
      fl.epoch = null;
    }
    String epoch = fl == null ? null : fl.epoch;
    model.seen(stream, model.epochs() ? epoch : null, seq, new Model.Seen(m.getString("id"), m.getString("from"),
        String.valueOf(m.getValue("body")), device.label + " c" + id, event), device.label);
    if (fl == null) {
      return;
    }
    if (fl.awaitReset) {
      model.violation(Check.SKIP, device.label, device.user, stream, event, "c" + id + " got seq " + seq
          + " of a stream whose resume named another epoch, with no reset first");
      fl.awaitReset = false;
      fl.next = seq;
    }
    fixStart(fl, seq, event, "its first message");
    if (seq == fl.next) {
      fl.next++;
    } else if (seq < fl.next) {
      model.violation(Check.DUPLICATE, device.label, device.user, stream, event, "c" + id + " got seq " + seq
          + " again (it had everything up to " + fl.delivered() + ")");
      return;
    } else {
      model.violation(Check.SKIP, device.label, device.user, stream, event, "c" + id + " got seq " + seq + " after "
          + fl.delivered() + ": seqs " + fl.next + ".." + (seq - 1) + " skipped with no gap");
      fl.next = seq + 1;
    }
    device.position(stream, seq, epoch, true);
  }

  private void gap(JsonObject g, int event) {
    String stream = g.getString("stream");
    long from = g.getLong("from");
    long to = g.getLong("to");
    Follow fl = followed(stream, "gap", event, g);
    if (fl == null) {
      return;
    }
    if (fl.awaitReset) {
      model.violation(Check.SKIP, device.label, device.user, stream, event, "c" + id + " got a gap before the reset its resume needed");
      fl.awaitReset = false;
      fl.next = from;
    }
    fixStart(fl, from, event, "a gap");
    if (from != fl.next || to < from) {
      model.violation(Check.GAP, device.label, device.user, stream, event, "c" + id + " got gap " + from + ".." + to
          + " at position " + fl.next + " (a gap must start at the next seq the session needs)");
    }
    model.gap(new Model.Gap(device.label, device.user, stream, fl.epoch, from, to, event));
    fl.next = Math.max(fl.next, to + 1);
    device.position(stream, to, fl.epoch, true);
  }

  private void resumed(JsonObject r, int event) {
    String stream = r.getString("stream");
    long from = r.getLong("from");
    long to = r.getLong("to");
    Follow fl = followed(stream, "resumed", event, r);
    if (fl == null) {
      return;
    }
    if (!fl.inWelcome || fl.resumed) {
      model.violation(Check.RESUMED, device.label, device.user, stream, event, "c" + id + " got "
          + (fl.resumed ? "a second resumed" : "resumed for a stream that was not in its welcome"));
    }
    fl.resumed = true;
    resumedStreams.add(stream);
    if (fl.awaitReset) {
      model.violation(Check.SKIP, device.label, device.user, stream, event, "c" + id + " resumed a stream whose resume named "
          + "another epoch, with no reset");
      fl.awaitReset = false;
      fl.next = from;
    }
    fixStart(fl, from, event, "an empty replay");
    if (to != fl.delivered()) {
      model.violation(Check.RESUMED, device.label, device.user, stream, event, "c" + id + " got resumed " + from + ".." + to
          + " but had everything up to " + fl.delivered());
    }
    device.position(stream, to, fl.epoch, true);
  }

  private void reset(JsonObject r, int event) {
    String stream = r.getString("stream");
    String epoch = String.valueOf(r.getValue("epoch"));
    Follow fl = followed(stream, "reset", event, r);
    if (fl == null) {
      return;
    }
    model.epochOf(stream, epoch);
    if (Objects.equals(epoch, fl.epoch) && !fl.resetAllowed) {
      model.violation(Check.SKIP, device.label, device.user, stream, event, "c" + id + " got a reset to the epoch it is in, " + epoch);
    }
    fl.epoch = epoch;
    fl.awaitReset = false;
    fl.resetAllowed = false;
    fl.next = 1;
    fl.startAtMost = -1;
    device.position(stream, 0, epoch, false);
  }

  private void joined(JsonObject j, int event) {
    String room = j.getString("room");
    String stream = "room:" + room;
    Request req = answered(j, event);
    if (req != null && req.expect == Expect.BAD_REQUEST) {
      model.violation(Check.REFUSAL, device.label, device.user, stream, event, "c" + id + " join of \"" + req.target
          + "\" (a stream name, not a room id) was accepted as room \"" + room + "\" instead of refused with bad_request");
    }
    if (!mayFollow(room)) {
      model.violation(Check.FOLLOW, device.label, device.user, stream, event, "c" + id + " was made to follow " + stream
          + ", which its token does not allow (rooms " + allowedRooms + ") nor the API granted");
    }
    listed(stream, j, "joined", event);
    long head = j.getLong("head", 0L);
    String epoch = epoch(j);
    if (req != null && req.expect != Expect.BAD_REQUEST) {
      // this session's own join: where the membership began, unless the user was a member already
      model.joined(device.user, room, false, model.joinedAt(device.user, room) != null,
          new Position(head, epoch == null ? "" : epoch));
    }
    if (follows.containsKey(stream)) {
      return; // a session already following the room keeps its position
    }
    model.epochOf(stream, epoch);
    Follow fl = new Follow(stream, epoch, false);
    fl.next = head + 1;
    follows.put(stream, fl);
    device.cursorWrite(stream, head, trace.now());
    device.position(stream, head, epoch, true);
  }

  /** A room's presence in welcome or joined: a capped list, whatever the room's size (item 11). */
  private void listed(String stream, JsonObject presence, String frame, int event) {
    JsonArray online = presence.getJsonArray("online");
    if (online != null && online.size() > Contract.MAX_LISTED) {
      model.violation(Check.ROOM_COST, device.label, device.user, stream, event, "c" + id + " " + frame + " lists "
          + online.size() + " online users of " + stream + " (onlineCount " + presence.getValue("onlineCount")
          + "); presence.maxListed is " + Contract.MAX_LISTED);
    }
  }

  private void left(JsonObject l, int event) {
    answered(l, event);
    String stream = "room:" + l.getString("room");
    follows.remove(stream);
    device.forget(stream);
    device.cursorUncertain(stream);
  }

  private void answer(JsonObject f, int event) {
    Request req = answered(f, event);
    String type = f.getString("type");
    if (req == null) {
      if (type.equals("error") && !f.containsKey("ref")) {
        // a frame refused before its ref could be read (duplicate keys): the oldest one waiting for it
        for (Request r : requests.values()) {
          if (r.expect == Expect.BAD_REQUEST && r.answer == null) {
            r.answer = f;
            break;
          }
        }
      }
      return;
    }
    if (req.expect == Expect.BAD_REQUEST) {
      if (!type.equals("error") || !"bad_request".equals(f.getString("code"))) {
        model.violation(Check.REFUSAL, device.label, device.user, null, event, "c" + id + " " + req.type + " frame (event #"
            + req.event + ") should be refused with bad_request, got " + abbreviate(f.encode()));
      }
      return;
    }
    if (type.equals("sent") && req.out != null) {
      long seq = f.getLong("seq", 0L);
      String stream = f.getString("stream");
      req.out.inFlightOn = -1;
      if (stream.startsWith("room:") && !mayFollow(stream.substring(5))) {
        model.violation(Check.FOLLOW, device.label, device.user, stream, event, "c" + id + " was allowed to send to "
            + stream + ", which its token does not allow (rooms " + allowedRooms + ") nor the API granted");
      }
      device.outboxAnswered(req.out.id);
      String epoch = epoch(f);
      model.epochOf(stream, epoch);
      model.sent(new Model.SentAnswer(device.user, device.label, stream, seq, epoch, f.getString("id"), event));
      model.seen(stream, model.epochs() ? epoch : null, seq, new Model.Seen(f.getString("id"), device.user, null,
          "sent to " + device.label + " c" + id, event), device.label);
      if (req.out.attempts == 1 && req.out.firstConn == id) {
        fresh.add(new Model.Fresh(req.order, stream, seq, epoch, req.out.id, event));
      }
    } else if (type.equals("error") && req.out != null) {
      req.out.inFlightOn = -1;
      String code = f.getString("code");
      if (!"unavailable".equals(code) && !"internal".equals(code)) {
        device.outboxAnswered(req.out.id); // refused for good (forbidden): nothing to retry
      }
    }
  }

  private Request answered(JsonObject f, int event) {
    Object ref = f.getValue("ref");
    if (ref == null) {
      return null;
    }
    Request r = requests.get(String.valueOf(ref));
    if (r != null && r.answer == null) {
      r.answer = f;
    }
    return r;
  }

  // ---- what the driver and the checkpoints ask ------------------------------------------------

  synchronized boolean welcomed() {
    return welcome != null;
  }

  synchronized boolean closed() {
    return closeCode != null;
  }

  synchronized Integer closeCode() {
    return closeCode;
  }

  synchronized String closeReason() {
    return closeReason;
  }

  synchronized long closedAt() {
    return closedAt;
  }

  synchronized int closeEvent() {
    return closeEvent;
  }

  synchronized boolean clientClosed() {
    return clientClosed;
  }

  /** An open session in the server's sense: welcomed and not closed by either side. */
  synchronized boolean open() {
    return welcome != null && closeCode == null;
  }

  synchronized Map<String, Follow> follows() {
    Map<String, Follow> copy = new LinkedHashMap<>();
    follows.forEach((s, f) -> {
      Follow c = new Follow(s, f.epoch, f.inWelcome);
      c.next = f.next;
      c.startAtMost = f.startAtMost;
      c.orStart = f.orStart;
      c.awaitReset = f.awaitReset;
      c.resumed = f.resumed;
      copy.put(s, c);
    });
    return copy;
  }

  synchronized boolean follows(String stream) {
    return follows.containsKey(stream);
  }

  /** Requests still waiting for their answer. */
  synchronized List<Request> unanswered() {
    List<Request> out = new ArrayList<>();
    for (Request r : requests.values()) {
      if (r.answer == null && !r.type.equals("ack")) {
        out.add(r);
      }
    }
    return out;
  }

  synchronized List<Model.Fresh> fresh() {
    return new ArrayList<>(fresh);
  }

  /** Waits (bounded) until the request with this ref has its answer; returns it or null. */
  synchronized JsonObject awaitAnswer(String ref, long ms) {
    long deadline = System.currentTimeMillis() + ms;
    while (true) {
      Request r = requests.get(ref);
      if (r != null && r.answer != null) {
        return r.answer;
      }
      long left = deadline - System.currentTimeMillis();
      if (closeCode != null || left <= 0) {
        return null;
      }
      waitQuietly(left);
    }
  }

  synchronized boolean awaitWelcome(long ms) {
    long deadline = System.currentTimeMillis() + ms;
    while (welcome == null && closeCode == null) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      waitQuietly(left);
    }
    return welcome != null;
  }

  synchronized boolean awaitClose(long ms) {
    long deadline = System.currentTimeMillis() + ms;
    while (closeCode == null) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      waitQuietly(left);
    }
    return true;
  }

  private void waitQuietly(long ms) {
    waitOn(this, ms);
  }

  /** Object.wait on a monitor the caller holds, an interrupt turned into a failure of the wait. */
  static void waitOn(Object monitor, long ms) {
    try {
      monitor.wait(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** Streams of the welcome that never got their resumed. */
  synchronized Set<String> missingResumed() {
    Set<String> out = new java.util.TreeSet<>(welcomeStreams);
    out.removeAll(resumedStreams);
    return out;
  }

  synchronized int welcomeEvent() {
    return welcomeEvent;
  }

  static String abbreviate(String s) {
    return s.length() > 240 ? s.substring(0, 240) + "..." : s;
  }

  @Override
  public String toString() {
    return "c" + id + "(" + device.label + "@n" + node + ")";
  }
}
