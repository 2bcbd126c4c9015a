package io.switchboard.client.internal;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class OptionsTest {

  /** Fails when a setting is added to Options and forgotten in copy(). */
  @Test
  void copyCarriesEverySetting() throws Exception {
    Options o = new Options();
    Options fresh = new Options();
    int n = 0;
    for (Field f : Options.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      Object changed = different(f.getType(), n++);
      f.set(o, changed);
      assertNotEquals(f.get(fresh), f.get(o), f.getName() + " must differ from its default for this test");
    }
    Options copy = o.copy();
    for (Field f : Options.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        assertEquals(f.get(o), f.get(copy), f.getName() + " not copied");
      }
    }
  }

  private static Object different(Class<?> type, int n) throws Exception {
    if (type == String.class) {
      return "value-" + n;
    } else if (type == long.class) {
      return 7_000_000L + n;
    } else if (type == int.class) {
      return 7_000 + n;
    } else if (type == double.class) {
      return 7_000.5 + n;
    } else if (type == java.util.Random.class) {
      return new java.util.Random(n);
    } else if (type.isInterface()) {
      return java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
        if (m.getName().equals("equals")) {
          return p == a[0];
        }
        return m.getName().equals("hashCode") ? System.identityHashCode(p) : null;
      });
    }
    return type.getDeclaredConstructor().newInstance();
  }
}
