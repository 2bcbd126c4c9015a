package io.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Every process the coordinator starts goes through here, so that all of them (and their children)
 * are killed when the coordinator ends, whether it finished, failed or was interrupted.
 */
final class Procs {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Procs::killAll, "bench-kill-children"));
  }

  private Procs() {
  }

  static Process start(List<String> cmd, Map<String, String> env, Path log, File dir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (dir != null) {
      pb.directory(dir);
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    RUNNING.add(p);
    return p;
  }

  /** For workers: stdout is the answer channel, stderr goes to the log. */
  static Process startPiped(List<String> cmd, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    RUNNING.add(p);
    return p;
  }

  /** SIGKILL, then waits (bounded) for the process to be gone. */
  static void kill(Process p) {
    if (p == null) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(p);
  }

  static void killAll() {
    for (Process p : RUNNING.toArray(new Process[0])) {
      kill(p);
    }
  }

  /**
   * A port free now and never handed out before by this process, for a server that binds it only
   * once started, seconds later. It comes from below the kernel's ephemeral range, as the cluster
   * ranges do: a port the kernel hands out ({@code new ServerSocket(0)}) may be taken meanwhile by
   * any outgoing connection of the machine (the generators' thousands, the members' own), and a
   * node of the scale-out then died with "Address already in use" (seen in CI).
   */
  static int freePort() throws IOException {
    return freePortRange(1);
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The first of {@code count} ports free now, none handed out before, all handed out from now on,
   * below the ephemeral range (see {@link #freePort}). Hazelcast members take the ports after the cluster port one by one as they start and probe the
   * range to find each other. A port chosen there for anything else may be taken by the time its
   * server binds it, and a member whose probe finds another protocol listening there (an HTTP port,
   * a Redis) keeps waiting for it to answer as a member and never joins.
   */
  static int freePortRange(int count) throws IOException {
    // below the kernel's ephemeral range: no outgoing connection takes these ports, and a machine
    // that just closed thousands of connections (their ports in TIME_WAIT) still has runs of them
    int high = ephemeralLow() - count;
    int low = Math.min(20_000, high / 2);
    if (high - low < count) {
      // an ephemeral range starting very low: anywhere above the privileged ports
      low = 1_024;
      high = 65_536 - count;
    }
    for (int i = 0; i < 200; i++) {
      int first = low + ThreadLocalRandom.current().nextInt(high - low);
      if (rangeFree(first, count)) {
        for (int p = first; p < first + count; p++) {
          HANDED_OUT.add(p);
        }
        return first;
      }
    }
    throw new IOException("no " + count + " free ports in a row between " + low + " and " + high);
  }

  /** The first port of the kernel's ephemeral range (Linux's default: 32768). */
  private static int ephemeralLow() {
    try {
      // readAllLines, not readString: the latter gets the first byte only of this procfs file
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean rangeFree(int from, int count) {
    for (int p = from; p < from + count; p++) {
      if (HANDED_OUT.contains(p)) {
        return false;
      }
      try (ServerSocket s = new ServerSocket(p)) {
        // bindable: free now
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** Resident set size of a process, from /proc/<pid>/status (VmRSS), in bytes; -1 when unknown. */
  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone or not Linux
    }
    return -1;
  }

  /** GET on loopback; the body, or null when not answering / not 200. */
  static String get(int port, String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(30_000);
      try {
        if (c.getResponseCode() != 200) {
          return null;
        }
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** Polls until the condition holds; fails naming what after the timeout or when the process died. */
  static void await(String what, Process p, long timeoutMs, Path log, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException(what + ": process exited with " + p.exitValue() + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not ready within " + timeoutMs + " ms" + tail(log));
      }
      sleep(100);
    }
  }

  static String tail(Path log) {
    if (log == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
