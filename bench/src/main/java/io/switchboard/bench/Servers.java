package io.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers under test, each a process of its own: one Redis, two Switchboard nodes (-cluster,
 * store redis), two Socket.IO processes (Redis adapter) and the raw baseline.
 */
final class Servers implements AutoCloseable {

  /** One server process and the port its clients connect to. */
  record Server(String name, Process process, int port, Path log) {
    long pid() {
      return process.pid();
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger CLUSTERS = new java.util.concurrent.atomic.AtomicInteger();
  private final BenchOptions o;
  private final Path logs;
  Server redis;
  final List<Server> switchboard = new ArrayList<>();
  final List<Server> socketio = new ArrayList<>();
  Server raw;

  Servers(BenchOptions o) throws IOException {
    this(o, o.out.resolve("logs"));
  }

  /** Servers of their own (the scale-out's clusters), logging into {@code logs}. */
  Servers(BenchOptions o, Path logs) throws IOException {
    this.o = o;
    this.logs = Files.createDirectories(logs);
  }

  void startRedis() throws IOException {
    int port = Procs.freePort();
    Path dir = Files.createTempDirectory("bench-redis-");
    Path log = logs.resolve("redis.log");
    // AOF with fsync every second: every message is in Redis and on its way to disk, as deployed
    Process p = Procs.start(List.of(redisBinary().toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
        "--protected-mode", "no", "--maxclients", "10000"), Map.of(), log, null);
    redis = new Server("redis", p, port, log);
    Procs.await("redis", p, 30_000, log, () -> ping(port));
  }

  void startSwitchboard() throws IOException {
    startSwitchboard(2);
  }

  /** {@code count} nodes sb-a, sb-b, ... in a cluster of their own (a name no other Servers of this process uses). */
  void startSwitchboard(int count) throws IOException {
    int clusterPort = Procs.freePortRange(16);
    String cluster = "bench-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
    List<Server> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "sb-" + (char) ('a' + i);
      int port = Procs.freePort();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("SB_NODE_NAME", name);
      env.put("SB_HTTP_HOST", "127.0.0.1");
      env.put("SB_HTTP_PORT", String.valueOf(port));
      env.put("SB_HTTP_INSTANCES", "2");
      env.put("SB_STORE", "redis");
      env.put("SB_REDIS_URL", "redis://127.0.0.1:" + redis.port());
      env.put("SB_JWT_SECRET", o.secret);
      env.put("SB_DEV_MODE", "false");
      env.put("SB_CLUSTER_NAME", cluster);
      env.put("SB_CLUSTER_PORT", String.valueOf(clusterPort));
      // the generator sends from few connections at high rates, and 10k-member rooms would get N² presence frames
      env.put("SB_RATE_PER_SECOND", "1000000");
      env.put("SB_RATE_BURST", "1000000");
      // thousands of clients come from a handful of loopback addresses: the per-IP handshake limits
      // would measure the limiter, not the server
      env.put("SB_MAX_CONNECTIONS_PER_IP", "1000000");
      env.put("SB_HANDSHAKES_PER_IP_PER_SECOND", "1000000");
      env.put("SB_PRESENCE_MAX_ROOM_ONLINE", "0");
      Path log = logs.resolve(name + ".log");
      List<String> cmd = new ArrayList<>(List.of(Procs.javaBin()));
      cmd.addAll(List.of(o.nodeJvm.split(" ")));
      cmd.addAll(List.of("-jar", o.jar.toString(), "-cluster"));
      Process p = Procs.start(cmd, env, log, null);
      started.add(new Server(name, p, port, log));
    }
    for (Server s : started) {
      Procs.await(s.name(), s.process(), 120_000, s.log(), () -> Procs.get(s.port(), "/health/ready") != null);
    }
    switchboard.addAll(started);
  }

  void startSocketIo() throws IOException {
    List<Server> started = new ArrayList<>();
    for (String name : List.of("sio-a", "sio-b")) {
      int port = Procs.freePort();
      Path log = logs.resolve(name + ".log");
      Process p = Procs.start(List.of(o.node, "--expose-gc", "--max-old-space-size=4096", "server.js"),
          Map.of("PORT", String.valueOf(port), "REDIS_URL", "redis://127.0.0.1:" + redis.port(), "NODE_ENV", "production"),
          log, o.socketio.toFile());
      started.add(new Server(name, p, port, log));
    }
    for (Server s : started) {
      Procs.await(s.name(), s.process(), 60_000, s.log(), () -> Procs.get(s.port(), "/stats") != null);
    }
    socketio.addAll(started);
  }

  void startRaw() throws IOException {
    int port = Procs.freePort();
    Path log = logs.resolve("raw.log");
    Process p = Procs.start(List.of(Procs.javaBin(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        RawServer.class.getName(), String.valueOf(port), "2"), Map.of(), log, null);
    raw = new Server("raw", p, port, log);
    Procs.await("raw", p, 60_000, log, () -> Procs.get(port, "/health") != null);
  }

  /** redis-server from the PATH, else the one carried by embedded-redis (as the test suite does). */
  private static Path redisBinary() throws IOException {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        Path candidate = Path.of(d, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
    String resource = "redis-server-7.0.15-linux-" + arch;
    try (InputStream in = Servers.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource + " on the classpath");
      }
      Path file = Files.createTempFile("bench-redis-server-", "");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + file + " executable");
      }
      file.toFile().deleteOnExit();
      return file;
    }
  }

  private static boolean ping(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(1000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[7];
      int n = s.getInputStream().read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Restarts the processes of {@code kind} ("sb" or "sio") if one of them has died, so that one
   * crash does not void every later scenario; returns what died, with the last line of its log
   * (kept as name.crashN.log).
   */
  List<String> restartIfDead(String kind) throws IOException {
    List<String> dead = new ArrayList<>();
    for (Server s : processes(kind)) {
      if (!s.process().isAlive()) {
        Path kept = s.log().resolveSibling(s.name() + ".crash" + (++crashes) + ".log");
        Files.move(s.log(), kept, StandardCopyOption.REPLACE_EXISTING);
        dead.add(s.name() + " (" + lastLine(kept) + "; log: " + kept.getFileName() + ")");
      }
    }
    if (!dead.isEmpty()) {
      restart(kind);
    }
    return dead;
  }

  /**
   * Fresh processes of the kind, their logs kept beside the new ones: what a scenario leaves behind in a server (a peer's memory after the fan-out, tens of
   * thousands of presence tombstones) must not weigh on the next one.
   */
  void restart(String kind) throws IOException {
    List<Server> list = processes(kind);
    if (list.isEmpty()) {
      return;
    }
    for (Server s : list) {
      Procs.kill(s.process());
      if (Files.exists(s.log())) {
        Files.move(s.log(), s.log().resolveSibling(s.name() + "." + (++generations) + ".log"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    list.clear();
    if (kind.equals("sb")) {
      startSwitchboard();
    } else {
      startSocketIo();
    }
  }

  private int generations;

  /** The processes of {@code kind}, "sb" or "sio" (the list itself: a restart replaces its content). */
  private List<Server> processes(String kind) {
    return kind.equals("sb") ? switchboard : kind.equals("sio") ? socketio : List.of();
  }

  private int crashes;

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).trim();
        if (l.startsWith("Error") || l.contains("Exception")) {
          return l;
        }
      }
      return lines.isEmpty() ? "empty log" : lines.get(lines.size() - 1).trim();
    } catch (IOException e) {
      return "log unreadable";
    }
  }

  @Override
  public void close() {
    for (Server s : switchboard) {
      Procs.kill(s.process());
    }
    for (Server s : socketio) {
      Procs.kill(s.process());
    }
    if (raw != null) {
      Procs.kill(raw.process());
    }
    if (redis != null) {
      Procs.kill(redis.process());
    }
  }
}
