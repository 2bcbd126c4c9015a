package io.switchboard.transport;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of the front door's admission, on their own: client IPs, the rate table, the slots. */
class AdmissionPartsTest {

  private static InetSocketAddress peer(String ip) {
    return new InetSocketAddress(IpRange.address(ip), 40000);
  }

  @Test
  void theClientIpIsThePeerUnlessThePeerIsATrustedProxy() {
    ClientIps ips = new ClientIps(List.of("10.0.0.0/8", "2001:db8:1::/48"));
    assertEquals("192.0.2.1", ips.resolve(peer("192.0.2.1"), "198.51.100.7"));
    assertEquals("198.51.100.7", ips.resolve(peer("10.1.1.1"), "198.51.100.7"));
    assertEquals("198.51.100.7", ips.resolve(peer("10.1.1.1"), "203.0.113.9, 198.51.100.7, 10.2.2.2"));
    assertEquals("198.51.100.7", ips.resolve(peer("10.1.1.1"), "198.51.100.7:5555"));
    // all hops trusted: the left-most one
    assertEquals("10.3.3.3", ips.resolve(peer("10.1.1.1"), "10.3.3.3, 10.2.2.2"));
    // something that is no address (or would need DNS) stops the walk at the last real hop
    assertEquals("10.2.2.2", ips.resolve(peer("10.1.1.1"), "evil.example.com, 10.2.2.2"));
    assertEquals("10.1.1.1", ips.resolve(peer("10.1.1.1"), "unknown"));
    assertEquals("198.51.100.7", ips.resolve(peer("2001:db8:1::5"), "[::ffff:198.51.100.7]:80"));
  }

  @Test
  void ipv6ClientsCountByTheirSlash64() {
    ClientIps ips = new ClientIps(List.of());
    assertEquals(ips.resolve(peer("2001:db8:aa:bb::1"), null), ips.resolve(peer("2001:db8:aa:bb:ffff::2"), null));
    assertTrue(!ips.resolve(peer("2001:db8:aa:bb::1"), null).equals(ips.resolve(peer("2001:db8:aa:bc::1"), null)));
    assertEquals("127.0.0.1", ips.resolve(peer("::ffff:127.0.0.1"), null));
  }

  @Test
  void rangesAreCheckedBitByBit() {
    IpRange range = IpRange.parse("192.168.4.0/22");
    assertTrue(range.contains(IpRange.address("192.168.7.255")));
    assertTrue(!range.contains(IpRange.address("192.168.8.0")));
    assertTrue(!range.contains(IpRange.address("::1")));
    assertTrue(IpRange.parse("0.0.0.0/0").contains(IpRange.address("8.8.8.8")));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("proxy.internal"));
  }

  @Test
  void theRateTableStaysBoundedAndEvictsOnlyIdleIps() {
    AtomicLong now = new AtomicLong(0);
    HandshakeRate rate = new HandshakeRate(2, 3, now::get);
    assertEquals(0, rate.acquire("a"));
    assertEquals(0, rate.acquire("a"));
    assertEquals(1, rate.acquire("a"), "burst spent: wait a second");
    assertEquals(0, rate.acquire("b"));
    assertEquals(0, rate.acquire("c"));
    assertEquals(1, rate.acquire("d"), "every tracked IP is active: a new one waits");
    assertEquals(3, rate.tracked());
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    assertEquals(0, rate.acquire("d"), "the idle entries made room");
    assertTrue(rate.tracked() <= 3);
    // a flood of addresses, each once, in 100 ms steps
    for (int i = 0; i < 10_000; i++) {
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
      rate.acquire("flood-" + i);
      assertTrue(rate.tracked() <= 3);
    }
  }

  @Test
  void slotsAreExactUnderConcurrentTakesAndReleases() throws Exception {
    ConnectionSlots slots = new ConnectionSlots(1000, 50);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger refusedPerIp = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(4);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(() -> {
          for (int i = 0; i < 20_000; i++) {
            String ip = "ip-" + (i % 10);
            if (slots.take(ip) == null) {
              slots.release(ip);
            } else {
              refusedPerIp.incrementAndGet();
            }
          }
          done.countDown();
        });
      }
      assertTrue(done.await(60, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, refusedPerIp.get(), "4 threads never hold more than 4 slots of one IP");
    assertEquals(0, slots.open());
    assertEquals(0, slots.trackedIps());
    for (int i = 0; i < 50; i++) {
      assertNull(slots.take("one"));
    }
    assertEquals(Limit.IP_CONNECTIONS, slots.take("one"));
    assertEquals(50, slots.open());
  }
}
