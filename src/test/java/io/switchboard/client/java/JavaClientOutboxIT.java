package io.switchboard.client.java;

import io.switchboard.client.FileStore;
import io.switchboard.client.PendingSend;
import io.switchboard.client.Sent;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.support.FailoverProxy;
import io.switchboard.support.NodeProcess;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stored outbox against a real node process: an app process (a child JVM, {@link OutboxChild})
 * makes sends, is killed with SIGKILL, and a new client on the same {@link FileStore} sends them
 * again with their ids; the node's log holds each exactly once, whether the first process never
 * reached the node or reached it and lost the answers.
 */
class JavaClientOutboxIT {

  static final String KEY = "java-client-outbox-it-key-0123456789";
  static final long WAIT_MS = 20_000;
  static final int SENDS = 5;

  static NodeProcess node;
  static NodeApi api;
  final List<Child> children = new ArrayList<>();
  final List<FailoverProxy> proxies = new ArrayList<>();

  @BeforeAll
  static void startNode() throws Exception {
    node = NodeProcess.start("jc-outbox", List.of(), Map.of("SB_JWT_SECRET", TestNode.SECRET, "SB_API_KEYS", KEY))
        .awaitReady();
    api = new NodeApi(KEY);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void cleanUp() {
    children.forEach(Child::kill);
    proxies.forEach(FailoverProxy::close);
  }

  FailoverProxy proxy() {
    FailoverProxy p = new FailoverProxy(node.port());
    proxies.add(p);
    return p;
  }

  @Test
  void sendsQueuedWhileUnreachableSurviveAKillAndAreStoredOnceAfterTheRestart(@TempDir Path dir) throws Exception {
    String user = "ob-lena";
    String to = "user:ob-mike";
    String device = "lena-phone";
    FailoverProxy proxy = proxy();
    proxy.refuseNew(true);

    Child app = start(proxy.wsUrl(), dir, user, device);
    app.await("STATE OFFLINE");
    app.command("send " + to + " " + SENDS + " off-");
    app.await("QUEUED " + SENDS);
    app.kill();
    assertEquals(List.of(), app.lines("DONE"), "no send could have an answer");
    assertEquals(List.of(), api.history(node, to), "the node was never reached");

    proxy.refuseNew(false);
    Map<String, Long> seqs = restartAndResend(proxy, dir, user, device, "off-", to);
    assertEquals(seqs, api.storedOnce(node, to), "each send stored once, with the seq its completion gave");
    assertEquals(SENDS, seqs.size());

    // the outbox is empty once answered: a later start has nothing to send again
    SwitchboardClient later = SwitchboardClient.builder(proxy.wsUrl()).token(Tokens.user(user).sign()).device(device)
        .store(new FileStore(dir.toFile())).build();
    try {
      assertEquals(List.of(), later.restoredSends().await(WAIT_MS, TimeUnit.MILLISECONDS));
    } finally {
      // close() writes the positions to the store's folder after it returns: the temporary folder is
      // deleted after the test, and a file written meanwhile failed that deletion in a CI run
      later.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void sendsStoredWhoseAnswersWereLostAreResentAfterAKillAndStillStoredOnce(@TempDir Path dir) throws Exception {
    String user = "ob-nora";
    String to = "user:ob-olaf";
    String device = "nora-phone";
    FailoverProxy proxy = proxy();

    Child app = start(proxy.wsUrl(), dir, user, device);
    app.await("STATE ONLINE");
    proxy.dropReplies();
    app.command("send " + to + " " + SENDS + " lost-");
    app.await("QUEUED " + SENDS);
    Recorder.until("the node to store the " + SENDS + " sends", WAIT_MS, () -> history(to).size() == SENDS, app::output);
    app.kill();
    assertEquals(List.of(), app.lines("DONE"), "the answers were lost on the way");

    Map<String, Long> firstStored = api.storedOnce(node, to);
    Map<String, Long> seqs = restartAndResend(proxy, dir, user, device, "lost-", to);
    assertEquals(firstStored, seqs, "the resends are answered with the seqs the first transmission got");
    assertEquals(firstStored, api.storedOnce(node, to), "and store nothing twice");
  }

  /** A new client on the store a killed process left: its restored sends, sent again, each with its seq. */
  Map<String, Long> restartAndResend(FailoverProxy proxy, Path dir, String user, String device, String prefix, String to)
      throws Exception {
    Recorder rec = new Recorder("restarted " + user);
    SwitchboardClient c = SwitchboardClient.builder(proxy.wsUrl()).token(Tokens.user(user).sign()).device(device)
        .store(new FileStore(dir.toFile())).listener(rec).build();
    try {
      List<PendingSend> restored = c.restoredSends().await(WAIT_MS, TimeUnit.MILLISECONDS);
      assertEquals(SENDS, restored.size(), "the store held every send of the killed process");
      for (int i = 0; i < SENDS; i++) {
        PendingSend p = restored.get(i);
        assertEquals(prefix + i, p.getId());
        assertEquals(to, p.getTo());
        assertEquals(i, ((JSONObject) p.getBody()).getInt("n"));
      }
      c.connect();
      Map<String, Long> seqs = new HashMap<>();
      for (PendingSend p : restored) {
        Sent s = p.getCompletion().await(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(p.getId(), s.getId());
        assertEquals(to, s.getStream());
        seqs.put(s.getId(), s.getSeq());
      }
      return seqs;
    } finally {
      c.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  List<NodeApi.Stored> history(String stream) {
    try {
      return api.history(node, stream);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  Child start(String url, Path dir, String user, String device) throws IOException {
    Child c = Child.start(url, dir, Tokens.user(user).sign(), device);
    children.add(c);
    return c;
  }

  /** The app's process: its output lines as they come, commands on its stdin, and SIGKILL. */
  static final class Child {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();

    /** An {@link OutboxChild} process: a client at {@code url} on a {@link FileStore} in {@code dir}. */
    static Child start(String url, Path dir, String token, String device) throws IOException {
      String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
          OutboxChild.class.getName(), url, dir.toString(), token, device).redirectErrorStream(true);
      return new Child(pb.start());
    }

    Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            out.add(line);
          }
        } catch (IOException e) {
          // killed
        }
      }, "outbox-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    void command(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    void await(String line) {
      Recorder.until("the app to say " + line, WAIT_MS, () -> {
        if (!process.isAlive() && !out.contains(line)) {
          throw new AssertionError("the app exited with " + process.exitValue() + ":\n" + output());
        }
        return out.contains(line);
      }, this::output);
    }

    List<String> lines(String prefix) {
      return out.stream().filter(l -> l.startsWith(prefix + " ")).toList();
    }

    String output() {
      return String.join("\n", out);
    }

    /** SIGKILL, as the system kills an app: no shutdown hook, no close(), nothing flushed. */
    void kill() {
      process.destroyForcibly();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new AssertionError("the app survived SIGKILL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
