package io.switchboard.checker;

import io.switchboard.presence.LocalPresenceRegistry;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.support.ForwardingPresence;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presence faults the checker arms do what they say, and nothing else of the registry is lost. */
class FaultPresenceTest {

  /**
   * A default method left to the interface would answer for the node's registry (the presence
   * service's listeners would never be called, a merge would write nothing again).
   */
  @Test
  void everyMethodOfTheRegistryReachesTheNodesRegistry() throws NoSuchMethodException {
    for (Method m : PresenceRegistry.class.getMethods()) {
      Class<?> declaring = FaultPresence.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
      assertTrue(declaring == FaultPresence.class || declaring == ForwardingPresence.class, m.getName() + " is " + declaring);
    }
  }

  @Test
  void armedCallsRunTwiceOrFailOnceEachThenPassThrough() {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    PresenceRegistry local = new LocalPresenceRegistry();
    PresenceRegistry counted = (PresenceRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PresenceRegistry.class}, (proxy, m, args) -> {
          calls.merge(m.getName(), 1, Integer::sum);
          try {
            return m.invoke(local, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    FaultPresence p = new FaultPresence(counted);

    p.dupOpen(1);
    p.sessionOpened("s1", "u", List.of("r"));
    p.sessionOpened("s2", "u", List.of("r"));
    assertEquals(3, calls.get("sessionOpened"));
    assertEquals(2, local.sessions("u").result());

    p.failClose(1);
    assertTrue(p.sessionClosed("s1", "u", List.of("r")).failed());
    assertEquals(null, calls.get("sessionClosed"));
    p.dupClose(1);
    assertEquals(PresenceRegistry.Closed.STILL_ONLINE, p.sessionClosed("s1", "u", List.of("r")).result());
    assertEquals(2, calls.get("sessionClosed"));
    assertEquals(PresenceRegistry.Closed.WENT_OFFLINE, p.sessionClosed("s2", "u", List.of("r")).result());
    assertEquals(3, calls.get("sessionClosed"));
    assertEquals("opened-twice=1 closed-twice=1 closes-failed=1 armed=dup-open:0,dup-close:0,fail-close:0", p.stats());
  }
}
