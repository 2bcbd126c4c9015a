package io.switchboard.checker;

import io.switchboard.SwitchboardVerticle;
import io.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a node process lets the checker see and slow down inside it, for defects with no outside
 * symptom yet: a store whose log reads take as long as the checker says (a fill that stays in
 * flight), and the size of every stream feed's buffer of early deliveries (StreamFeed.held),
 * sampled while a flood arrives. Test code in the node's JVM, reading private fields: a production
 * metric would make this unnecessary (see docs/checker.md).
 */
final class Probes {

  private volatile long slowReadMs;
  private final AtomicInteger maxHeld = new AtomicInteger();
  private ScheduledExecutorService sampler;
  private volatile SwitchboardVerticle node;

  /** The node's store, with reads delayed by {@link #slowReads}. */
  Store slowable(Vertx vertx, Store store) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
      Object result;
      try {
        result = method.invoke(store, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
      long delay = slowReadMs;
      if (!method.getName().equals("read") || delay <= 0) {
        return result;
      }
      Promise<Object> later = Promise.promise();
      ((Future<?>) result).onComplete(ar -> vertx.setTimer(delay, t -> {
        if (ar.succeeded()) {
          later.complete(ar.result());
        } else {
          later.fail(ar.cause());
        }
      }));
      return later.future();
    });
  }

  void slowReads(long ms) {
    slowReadMs = ms;
  }

  void node(SwitchboardVerticle node) {
    this.node = node;
  }

  /** Starts sampling (every 10 ms) and forgets the maximum seen so far. */
  synchronized String watchHeld() {
    maxHeld.set(0);
    if (sampler == null) {
      sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checker-held-sampler");
        t.setDaemon(true);
        return t;
      });
      sampler.scheduleWithFixedDelay(this::sampleHeld, 0, 10, TimeUnit.MILLISECONDS);
    }
    return "watching";
  }

  private void sampleHeld() {
    try {
      maxHeld.accumulateAndGet(heldNow(), Math::max);
    } catch (RuntimeException racedWithTheLoop) {
      // the loop changed a map under the sampler: the next sample reads it again (a throw would end the schedule)
    }
  }

  /** "held=<largest buffer seen since watchHeld> limit=<StreamFeed.MAX_HELD>". */
  String held() {
    return "held=" + Math.max(maxHeld.get(), heldNow()) + " limit=" + staticInt("io.switchboard.routing.StreamFeed", "MAX_HELD");
  }

  /** The largest StreamFeed.held of the node, now: gateways → session manager → feed registry → feeds. */
  private int heldNow() {
    int most = 0;
    for (Object gateway : (List<?>) field(node, "gateways")) {
      Object feeds = field(field(field(gateway, "sessions"), "feeds"), "feeds");
      for (Object feed : ((Map<?, ?>) feeds).values().toArray()) {
        Object held = field(feed, "held");
        if (held != null) {
          most = Math.max(most, ((Map<?, ?>) held).size());
        }
      }
    }
    return most;
  }

  private static Object field(Object o, String name) {
    try {
      for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
        try {
          Field f = c.getDeclaredField(name);
          f.setAccessible(true);
          return f.get(o);
        } catch (NoSuchFieldException next) {
          // look in the superclass
        }
      }
      throw new IllegalStateException(o.getClass().getName() + " has no field " + name + " (the code changed: update Probes)");
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int staticInt(String className, String name) {
    try {
      Field f = Class.forName(className).getDeclaredField(name);
      f.setAccessible(true);
      return f.getInt(null);
    } catch (ReflectiveOperationException e) {
      return -1;
    }
  }
}
