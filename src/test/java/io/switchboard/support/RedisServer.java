package io.switchboard.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process for tests, on a free loopback port in its own temporary
 * directory. The binary is {@code redis-server} from the PATH if there is one, else the statically
 * linked 7.0.15 build carried by the test dependency {@code org.signal:embedded-redis}.
 *
 * <p>Every wait is bounded and waits for a condition (PING answers, the process exited, the kernel
 * reports it stopped), never for a fixed time.
 */
public final class RedisServer implements AutoCloseable {

  public enum Fsync { ALWAYS, EVERYSEC }

  private static final long START_TIMEOUT_MS = 30_000;
  private static final long STOP_TIMEOUT_MS = 30_000;
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static Path binary;

  static {
    // a test that dies halfway must not leave servers behind (SIGKILL also ends a stopped process)
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final Builder options;
  private final Path dir;
  private final int port;
  private Process process;
  private boolean frozen;

  private RedisServer(Builder options) {
    this.options = options;
    try {
      this.dir = Files.createTempDirectory("redis-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = freePort(options.cluster);
  }

  /** No persistence: no AOF, no RDB snapshots. */
  public static RedisServer ephemeral() {
    return builder().build();
  }

  /** AOF on with this fsync policy, no RDB snapshots. */
  public static RedisServer withAof(Fsync fsync) {
    return builder().aof(fsync).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private Fsync aof;
    private boolean cluster;
    private Integer replicaOf;
    private String password;
    private String sentinelMaster;
    private int sentinelMasterPort;

    public Builder aof(Fsync fsync) {
      this.aof = fsync;
      return this;
    }

    /** A Redis Cluster node (its bus port, port + 10000, is free too). */
    public Builder cluster() {
      this.cluster = true;
      return this;
    }

    public Builder replicaOf(int masterPort) {
      this.replicaOf = masterPort;
      return this;
    }

    /** Clients must authenticate with this password ({@code requirepass}). */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** A Sentinel (same binary, {@code --sentinel}) watching the master on this port, quorum 1. */
    public Builder sentinel(String masterName, int masterPort) {
      this.sentinelMaster = masterName;
      this.sentinelMasterPort = masterPort;
      return this;
    }

    public RedisServer build() {
      return new RedisServer(this);
    }
  }

  /** Starts the process and returns once it answers PING. */
  public synchronized RedisServer start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(command()).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
      process = pb.start();
      RUNNING.add(process);
      frozen = false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process p = process;
    await("redis-server on port " + port + " to answer PING", START_TIMEOUT_MS, () -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + p.exitValue() + ":\n" + log());
      }
      return answersPing();
    });
    return this;
  }

  /** SIGTERM (a clean shutdown: the AOF is flushed), then waits for the process to exit. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    if (frozen) {
      thaw();
    }
    process.destroy();
    waitForExit();
  }

  /** SIGKILL: the process gets no chance to flush anything. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGSTOP: the server keeps its sockets (connections are accepted by the kernel) and answers nothing. */
  public synchronized void freeze() {
    signal("-STOP");
    frozen = true;
    await("redis-server to be stopped", STOP_TIMEOUT_MS, () -> state() == 'T' || state() == '?');
  }

  /** SIGCONT after {@link #freeze()}. */
  public synchronized void thaw() {
    signal("-CONT");
    frozen = false;
    await("redis-server to run again", STOP_TIMEOUT_MS, () -> state() != 'T');
  }

  /** Stops and starts again on the same port and directory, so it reloads its AOF. */
  public synchronized void restart() {
    stop();
    start();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** One command on a fresh connection (see {@link Resp}). */
  public Object call(String... args) {
    try (Resp r = new Resp(port, 5_000)) {
      if (options.password != null) {
        r.command("AUTH", options.password);
      }
      return r.command(args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  /** Polls {@code condition} every 10 ms until it holds, failing after {@code timeoutMs}. */
  public static void await(String what, long timeoutMs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      // poll interval of a condition wait with a deadline, not a wait in itself
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      if (Thread.interrupted()) {
        throw new IllegalStateException("interrupted waiting for " + what);
      }
    }
  }

  private List<String> command() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    if (options.sentinelMaster != null) {
      Path conf = dir.resolve("sentinel.conf");
      if (!Files.exists(conf)) {
        // Sentinel rewrites this file with what it learns; a restart keeps that
        String m = options.sentinelMaster;
        Files.writeString(conf, String.join("\n",
            "port " + port,
            "bind 127.0.0.1",
            "dir " + dir,
            "sentinel monitor " + m + " 127.0.0.1 " + options.sentinelMasterPort + " 1",
            // long enough that a CPU-starved master on a loaded test machine is not failed over by mistake
            "sentinel down-after-milliseconds " + m + " 5000",
            "sentinel failover-timeout " + m + " 10000",
            ""));
      }
      cmd.add(conf.toString());
      cmd.add("--sentinel");
      return cmd;
    }
    cmd.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--daemonize", "no", "--protected-mode", "no", "--logfile", "", "--save", ""));
    if (options.aof == null) {
      cmd.addAll(List.of("--appendonly", "no"));
    } else {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", options.aof.name().toLowerCase(Locale.ROOT)));
    }
    if (options.cluster) {
      cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
    }
    if (options.password != null) {
      cmd.addAll(List.of("--requirepass", options.password));
    }
    if (options.replicaOf != null) {
      cmd.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(options.replicaOf)));
    }
    return cmd;
  }

  private boolean answersPing() {
    try (Resp r = new Resp(port, 500)) {
      if (options.password != null) {
        r.command("AUTH", options.password);
      }
      return "PONG".equals(r.command("PING"));
    } catch (IOException e) {
      return false; // refused, LOADING, or not answering yet
    }
  }

  private void waitForExit() {
    Process p = process;
    try {
      if (!p.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        throw new IllegalStateException("redis-server on port " + port + " did not exit in " + STOP_TIMEOUT_MS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for redis-server to exit");
    } finally {
      RUNNING.remove(p);
      frozen = false;
    }
  }

  private void signal(String signal) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).redirectErrorStream(true).start();
      if (!kill.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** The process state letter from /proc ('T' when stopped), or '?' where there is no /proc. */
  private char state() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException | RuntimeException e) {
      return '?';
    }
  }

  private static int freePort(boolean withBusPort) {
    if (!withBusPort) {
      return Ports.free();
    }
    // a cluster node's bus port is its port + 10000, in the ephemeral range either way
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (port + 10_000 <= 65_535 && Ports.isFree(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port");
  }

  /** redis-server from the PATH, else the binary of embedded-redis extracted once per JVM. */
  public static synchronized Path binary() throws IOException {
    if (binary != null) {
      return binary;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        Path candidate = Path.of(d, "redis-server");
        if (Files.isExecutable(candidate)) {
          return binary = candidate;
        }
      }
    }
    String resource = "redis-server-7.0.15-" + os() + "-" + arch();
    try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource + " on the classpath");
      }
      Path file = Files.createTempFile("redis-server-7.0.15-", "");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + file + " executable");
      }
      file.toFile().deleteOnExit();
      return binary = file;
    }
  }

  private static String os() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return os.contains("mac") ? "darwin" : "linux";
  }

  private static String arch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    if (arch.equals("aarch64") || arch.equals("arm64")) {
      return "arm64";
    }
    return arch.equals("x86") || arch.equals("i386") ? "386" : "amd64";
  }
}
