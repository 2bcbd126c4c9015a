package io.switchboard.checker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@link CheckerNode} process: started from this JVM's class path, commanded over its stdin,
 * killed with SIGKILL, frozen with SIGSTOP. Its output goes to a log file; the last lines are kept
 * for a failure report.
 */
final class NodeHandle implements AutoCloseable {

  /** What the shaded jar's manifest opens for Hazelcast; a node run from the class path needs it too. */
  static final List<String> OPENS = List.of(
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");
  static final long START_MS = 90_000;
  static final long COMMAND_MS = 15_000;

  final int index;
  final String name;
  private final Process process;
  private final Path log;
  private final Writer logFile;
  private final PrintWriter stdin;
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final Map<String, String> replies = new HashMap<>();
  private int port = -1;
  private long nextCommand;
  private volatile boolean frozen;

  private NodeHandle(int index, String name, Process process, Path log) throws IOException {
    this.index = index;
    this.name = name;
    this.process = process;
    this.log = log;
    this.logFile = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "checker-node-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static NodeHandle start(int index, String name, Path config, long clockOffset) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx192m", "-XX:+UseSerialGC",
        // a short-lived test node on a shared 2-core machine: C1 only starts faster and steals less CPU
        "-XX:TieredStopAtLevel=1", "-Xss512k",
        // the first member need not wait 5 s for others before it forms the cluster: the checker starts it alone
        "-Dhazelcast.wait.seconds.before.join=1"));
    cmd.addAll(OPENS);
    cmd.addAll(List.of("-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n",
        "-cp", System.getProperty("java.class.path"), CheckerNode.class.getName(),
        config.toString(), String.valueOf(clockOffset)));
    try {
      Path log = Files.createTempFile("checker-" + name + "-", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
      return new NodeHandle(index, name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        synchronized (this) {
          if (line.startsWith(CheckerNode.REPLY)) {
            String rest = line.substring(CheckerNode.REPLY.length());
            int sp = rest.indexOf(' ');
            String id = sp < 0 ? rest : rest.substring(0, sp);
            if (id.equals("ready")) {
              port = Integer.parseInt(rest.substring(sp + 1).trim());
            } else {
              replies.put(id, sp < 0 ? "" : rest.substring(sp + 1));
            }
            notifyAll();
          }
          tail.addLast(line);
          if (tail.size() > 200) {
            tail.removeFirst();
          }
          logFile.write(line);
          logFile.write('\n');
        }
      }
    } catch (IOException ignored) {
      // the process ended
    } finally {
      synchronized (this) {
        try {
          logFile.flush();
        } catch (IOException ignored) {
          // best effort
        }
        notifyAll();
      }
    }
  }

  /** Waits until the node listens; the caller then waits for the cluster to see it. */
  synchronized NodeHandle awaitListening() {
    long deadline = System.currentTimeMillis() + START_MS;
    while (port < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new IllegalStateException(name + " not listening within " + START_MS + " ms:\n" + tail());
      }
      waitQuietly(Math.min(left, 500));
    }
    return this;
  }

  /** Sends one command and returns its answer ("ok ..."); fails on "err" or after {@link #COMMAND_MS}. */
  String command(String command) {
    String id;
    synchronized (this) {
      id = "c" + nextCommand++;
    }
    stdin.println(id + " " + command);
    if (stdin.checkError()) {
      throw new IllegalStateException(name + " did not take command " + command + " (process gone?)");
    }
    synchronized (this) {
      long deadline = System.currentTimeMillis() + COMMAND_MS;
      while (!replies.containsKey(id)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || !process.isAlive()) {
          throw new IllegalStateException(name + " did not answer " + command + (process.isAlive() ? "" : " (exited)"));
        }
        waitQuietly(Math.min(left, 500));
      }
      String reply = replies.remove(id);
      if (reply.startsWith("err")) {
        throw new IllegalStateException(name + " refused " + command + ": " + reply);
      }
      return reply.startsWith("ok") ? reply.substring(2).trim() : reply;
    }
  }

  int port() {
    return port;
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean frozen() {
    return frozen;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no drain, sockets reset by the kernel, as when a machine dies. */
  void kill() {
    if (frozen) {
      // a stopped process is killed all the same; it just must not stay marked frozen
      frozen = false;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: every thread stops, sockets stay open, nothing answers: a long GC pause or a stalled VM. */
  void freeze() {
    signal("-STOP");
    frozen = true;
  }

  void thaw() {
    signal("-CONT");
    frozen = false;
  }

  private void signal(String sig) {
    try {
      Process kill = new ProcessBuilder("kill", sig, String.valueOf(process.pid())).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  synchronized String tail() {
    return String.join("\n", tail);
  }

  Path log() {
    return log;
  }

  private void waitQuietly(long ms) {
    Conn.waitOn(this, ms);
  }

  @Override
  public void close() {
    if (frozen) {
      thaw();
    }
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      OutputStream o = process.getOutputStream();
      o.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  void deleteLog() {
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
