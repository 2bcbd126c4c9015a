package io.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for processes a test starts, which bind them seconds later. A port the kernel hands out
 * ({@code new ServerSocket(0)}) is in its ephemeral range, where any outgoing connection of the
 * machine (Hazelcast members, Redis clients) may take it in those seconds: a node then failed to
 * start with "Address already in use". These come from above the tests' Hazelcast port ranges
 * (10000 to 30000, each 100 wide) and below the ephemeral range, never twice from one JVM.
 */
public final class Ports {

  private static final int LOW = 30_100;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {
  }

  /** A port free now, outside the ephemeral range where there is room for one. */
  public static int free() {
    int high = ephemeralLow();
    for (int attempt = 0; attempt < 200 && high - LOW > 100; attempt++) {
      int port = LOW + ThreadLocalRandom.current().nextInt(high - LOW);
      if (isFree(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    // an ephemeral range starting below the band, or the band full: any port the kernel gives
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
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
}
