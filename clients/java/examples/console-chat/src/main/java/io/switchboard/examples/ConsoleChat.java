package io.switchboard.examples;

import io.switchboard.client.Completion;
import io.switchboard.client.FileStore;
import io.switchboard.client.Gap;
import io.switchboard.client.Joined;
import io.switchboard.client.Left;
import io.switchboard.client.Message;
import io.switchboard.client.PendingSend;
import io.switchboard.client.Presence;
import io.switchboard.client.Reset;
import io.switchboard.client.Resumed;
import io.switchboard.client.Sent;
import io.switchboard.client.StateChange;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.SwitchboardException;
import io.switchboard.client.SwitchboardListener;
import io.switchboard.client.TokenProvider;
import io.switchboard.client.Welcome;
import org.json.JSONObject;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A chat in the terminal against a Switchboard node in dev mode: run it in two terminals under two
 * names and type. See README.md beside {@code src/}.
 *
 * <pre>
 * usage: ConsoleChat &lt;url&gt; &lt;user&gt; [room]
 *   url   the node, e.g. http://127.0.0.1:8080 (ws://127.0.0.1:8080/ws works too)
 *   user  your name (letters, digits, _ . : @ | + = -)
 *   room  the room to chat in; default lobby
 * then type a line to send it to the room, "/dm &lt;user&gt; &lt;text&gt;" for a direct message, "/quit" to leave
 * </pre>
 *
 * <p>Tokens come from the node's {@code GET /dev/token?user=<name>} (dev mode only); positions and
 * unconfirmed sends persist under {@code ~/.switchboard-chat/<user>}, so a chat restarted (even after
 * a kill) resumes where it was and sends again what the node had not confirmed.
 */
public final class ConsoleChat {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@|+=\\-]{1,128}");

  private ConsoleChat() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: ConsoleChat <url> <user> [room]    e.g. ConsoleChat http://127.0.0.1:8080 alice lobby");
      System.exit(2);
    }
    final String base = baseUrl(args[0]);
    final String user = args[1];
    final String room = args.length > 2 ? args[2] : "lobby";
    if (!ID.matcher(user).matches() || !ID.matcher(room).matches() || room.startsWith("room:")) {
      System.err.println("user and room are 1-128 letters, digits or _ . : @ | + = - (the room's bare id: lobby, not room:lobby)");
      System.exit(2);
    }

    // One directory per user: the client's store (positions, outbox) and this installation's device id.
    File dir = new File(new File(System.getProperty("user.home"), ".switchboard-chat"), user);
    String device = deviceId(dir);

    final Printer printer = new Printer(user, room);
    final SwitchboardClient client = SwitchboardClient.builder(base + "/ws")
        // called on the client's own background thread: blocking HTTP is fine here
        .tokenProvider(new TokenProvider() {
          @Override
          public String fetchToken() throws Exception {
            return devToken(base, user);
          }
        })
        .device(device)
        .clientName("console-chat/0.1")
        .store(new FileStore(dir))
        .listener(printer)
        .build();
    printer.client = client;

    // Sends a killed run left unconfirmed: the client sends them again with their ids (stored once).
    // They are waited for below like the ones typed: close() would fail them and drop them from the store.
    List<Completion<Sent>> sends = new ArrayList<>();
    for (final PendingSend p : client.restoredSends().await(10, TimeUnit.SECONDS)) {
      say("-- sending again what the last run left unconfirmed: " + p.getTo() + " " + text(p.getBody()));
      sends.add(p.getCompletion().whenDone((sent, e) -> {
        if (e != null) {
          failed(e);
        }
      }));
    }

    // Ctrl-C: pause, which writes the positions and keeps unconfirmed sends in the store for the next
    // run (close() would fail them and drop them). The client's threads are daemons: wait for it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(client, printer, true)));

    client.connect();
    join(client, room); // queued until connected; joining a room one is in changes nothing

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.equals("/quit")) {
        break;
      }
      if (line.startsWith("/dm")) {
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 3 || !ID.matcher(parts[1]).matches()) {
          say("-- usage: /dm <user> <text>");
          continue;
        }
        final String to = parts[1];
        sends.add(client.send("user:" + to, body(parts[2])).whenDone((sent, e) -> {
          if (e != null) {
            failed(e);
          } else {
            say("-- dm to " + to + " stored as #" + sent.getSeq());
          }
        }));
        continue;
      }
      // to the room: it comes back as a message of the room, like everyone else's
      sends.add(client.send("room:" + room, body(line)).whenDone((sent, e) -> {
        if (e != null) {
          failed(e);
        }
      }));
    }

    // End of input (or /quit): wait for what was typed to be stored, then close.
    boolean unconfirmed = false;
    for (Completion<Sent> c : sends) {
      try {
        c.await(30, TimeUnit.SECONDS);
      } catch (SwitchboardException e) {
        // reported by its whenDone
      } catch (TimeoutException e) {
        say("-- not confirmed within 30 s: kept in the store, sent again on the next run");
        unconfirmed = true;
        break;
      }
    }
    stop(client, printer, unconfirmed);
  }

  static void join(SwitchboardClient client, String room) {
    client.join(room).whenDone((joined, error) -> {
      if (error != null) {
        say("-- could not join " + room + ": " + error.getCode().wire() + " " + error.getMessage());
      } else {
        say("-- in " + room + " with " + joined.getOnlineCount() + " online: " + String.join(", ", joined.getOnline()));
      }
    });
  }

  /**
   * close() (for good: unconfirmed sends fail with closed and leave the store) or, to keep them for the
   * next run, pause(). The client's threads are daemons: wait for the completion, done once the
   * positions of what was printed are written.
   */
  private static void stop(SwitchboardClient client, Printer printer, boolean keepOutbox) {
    if (printer.stopping) {
      return; // stopped already (the shutdown hook after a normal end)
    }
    printer.stopping = true;
    try {
      (keepOutbox ? client.pause() : client.close()).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      say("-- could not stop cleanly: " + e);
    }
  }

  private static JSONObject body(String text) {
    return new JSONObject().put("text", text);
  }

  /** The text of a chat body ({"text": ...}), or the body's JSON for anything else. */
  private static String text(Object body) {
    if (body instanceof JSONObject && ((JSONObject) body).opt("text") instanceof String) {
      return ((JSONObject) body).getString("text");
    }
    return String.valueOf(body);
  }

  private static void failed(SwitchboardException e) {
    say("-- not sent (" + e.getCode().wire() + (e.isMaybeStored() ? ", maybe stored" : "") + "): " + e.getMessage());
  }

  private static synchronized void say(String s) {
    System.out.println(s);
    System.out.flush();
  }

  /** http://host:port from either http://host:port[/] or ws://host:port/ws. */
  static String baseUrl(String url) {
    String u = url.trim();
    if (u.startsWith("ws://")) {
      u = "http://" + u.substring(5);
    } else if (u.startsWith("wss://")) {
      u = "https://" + u.substring(6);
    }
    if (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith("/ws")) {
      u = u.substring(0, u.length() - 3);
    }
    if (!u.startsWith("http://") && !u.startsWith("https://")) {
      throw new IllegalArgumentException("url must be http(s)://host:port or ws(s)://host:port/ws, not " + url);
    }
    return u;
  }

  /** GET /dev/token?user=<name>: {"user", "token", "expiresIn"}; only a node in dev mode serves it. */
  static String devToken(String base, String user) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(base + "/dev/token?user="
        + URLEncoder.encode(user, "UTF-8")).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    try {
      int status = c.getResponseCode();
      if (status != 200) {
        throw new IOException(base + "/dev/token answered HTTP " + status
            + (status == 404 ? " (is the node in dev mode?)" : ""));
      }
      return new JSONObject(read(c.getInputStream())).getString("token");
    } finally {
      c.disconnect();
    }
  }

  private static String read(InputStream in) throws IOException {
    try (InputStream i = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = i.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  /** A stable id for this installation (the node keeps ack cursors per device): made once, kept in dir. */
  private static String deviceId(File dir) throws IOException {
    File f = new File(dir, "device-id");
    if (f.isFile()) {
      String id = new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8).trim();
      if (!id.isEmpty() && id.length() <= 64) {
        return id;
      }
    }
    if (!dir.isDirectory() && !dir.mkdirs()) {
      throw new IOException("could not create " + dir);
    }
    String id = "console-" + UUID.randomUUID();
    Files.write(f.toPath(), id.getBytes(StandardCharsets.UTF_8));
    return id;
  }

  /** Prints what the client tells, on the client's callback thread (one at a time, in order). */
  private static final class Printer implements SwitchboardListener {
    private final String me;
    private final String room;
    volatile SwitchboardClient client;
    volatile boolean stopping;

    Printer(String me, String room) {
      this.me = me;
      this.room = room;
    }

    @Override
    public void onMessage(Message m) {
      String where;
      if (m.getStream().startsWith("room:")) {
        where = m.getStream().substring(5);
      } else if (m.getStream().equals("user:" + me)) {
        where = "dm";
      } else {
        where = m.getStream();
      }
      say("[" + where + "] " + m.getFrom() + ": " + text(m.getBody()) + (m.isTransient() ? " (transient)" : ""));
    }

    @Override
    public void onGap(Gap g) {
      say("-- " + g.getStream() + ": messages #" + g.getFrom() + " to #" + g.getTo() + " are gone (retention)");
    }

    @Override
    public void onReset(Reset r) {
      say("-- " + r.getStream() + " started over (new epoch \"" + r.getEpoch() + "\"): what had not arrived of it is gone");
    }

    @Override
    public void onWelcome(Welcome w) {
      say("-- connected to " + w.getNode() + " as " + w.getUser());
      if (!w.isFirst() && !w.getStreams().containsKey("room:" + room) && !w.getRejoining().contains(room)) {
        // not a member any more (a dev node keeps memberships in memory: one restarted forgot them),
        // and no line typed meanwhile for the client to join again for
        join(client, room);
      }
    }

    @Override
    public void onResumed(Resumed r) {
      if (r.getCount() > 0) {
        say("-- caught up " + r.getCount() + " message(s)" + (r.getOfflineFrom() > 0
            ? " sent while offline since " + new java.util.Date(r.getOfflineFrom()) : ""));
      }
    }

    @Override
    public void onStateChanged(StateChange c) {
      switch (c.getState()) {
        case OFFLINE:
          say("-- offline" + (c.getReason() != null ? " (" + c.getReason() + ")" : "") + ", retrying in " + c.getDelayMs() + " ms");
          break;
        case CLOSED:
          say("-- closed" + (c.getReason() != null ? ": " + c.getReason() : ""));
          break;
        case PAUSED:
          break;
        case ONLINE:
          break; // onWelcome says it, with the node
        default:
          say("-- " + c.getState().name().toLowerCase());
      }
    }

    @Override
    public void onPresence(Presence p) {
      say("-- " + p.getUser() + " is " + (p.isOnline() ? "online" : "offline") + " in " + p.getRoom());
    }

    @Override
    public void onJoined(Joined j) {
      say(j.isRestored() ? "-- in " + j.getRoom() + " again, for the lines typed while offline"
          : "-- joined " + j.getRoom() + " elsewhere");
    }

    @Override
    public void onLeft(Left l) {
      say("-- left " + l.getRoom() + " elsewhere");
    }

    @Override
    public void onError(SwitchboardException e) {
      say("-- error " + e.getCode().wire() + ": " + e.getMessage());
    }
  }
}
