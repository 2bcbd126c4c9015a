package io.switchboard.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WaitingLineTest {

  private final List<String> started = new ArrayList<>();

  private Runnable start(String key) {
    return () -> started.add(key);
  }

  @Test
  void keysBeyondTheLimitWaitAndStartInTheOrderTheyCame() {
    WaitingLine<String> line = new WaitingLine<>(2);
    for (String k : List.of("a", "b", "c", "d", "e")) {
      line.enter(k, start(k));
    }
    assertEquals(List.of("a", "b"), started);
    assertEquals(3, line.waiting());
    line.leave("b");
    assertEquals(List.of("a", "b", "c"), started);
    line.leave("a");
    line.leave("c");
    assertEquals(List.of("a", "b", "c", "d", "e"), started);
    assertEquals(0, line.waiting());
    assertEquals(2, line.through());
  }

  @Test
  void aWaitingKeyThatLeavesIsNeverStartedAndTakesNoPlace() {
    WaitingLine<String> line = new WaitingLine<>(1);
    line.enter("a", start("a"));
    line.enter("b", start("b"));
    line.enter("c", start("c"));
    line.leave("b"); // closed while waiting
    assertEquals(1, line.through());
    line.leave("a");
    assertEquals(List.of("a", "c"), started);
    assertEquals(0, line.waiting());
  }

  @Test
  void leavingTwiceOrWithoutEnteringFreesNoExtraPlace() {
    // a session leaves when it opens and again when it closes later
    WaitingLine<String> line = new WaitingLine<>(1);
    line.enter("a", start("a"));
    line.enter("b", start("b"));
    line.enter("c", start("c"));
    line.leave("a");
    line.leave("a");
    line.leave("never-entered");
    assertEquals(List.of("a", "b"), started);
    assertEquals(1, line.through());
    assertEquals(1, line.waiting());
  }

  @Test
  void keysThatLeaveAsTheyStartLetTheRestThroughWithoutRecursing() {
    // a hello refused at once (a malformed token) leaves from inside its own start: with 100,000
    // of them in line, starting each from the one before would overflow the stack
    WaitingLine<Integer> line = new WaitingLine<>(1);
    int[] count = {0};
    line.enter(-1, () -> { });
    for (int i = 0; i < 100_000; i++) {
      int key = i;
      line.enter(key, () -> {
        count[0]++;
        line.leave(key);
      });
    }
    line.leave(-1);
    assertEquals(100_000, count[0]);
    assertEquals(0, line.through());
    assertEquals(0, line.waiting());
  }

  @Test
  void aSharedCountFollowsWhatWaitsInEveryLineThatSharesIt() {
    AtomicInteger waiting = new AtomicInteger();
    WaitingLine<String> one = new WaitingLine<>(1, waiting);
    WaitingLine<String> other = new WaitingLine<>(1, waiting);
    for (String k : List.of("a", "b", "c")) {
      one.enter(k, start(k));
      other.enter(k, start(k));
    }
    assertEquals(4, waiting.get());
    one.leave("c"); // left while waiting
    assertEquals(3, waiting.get());
    one.leave("a"); // b goes through
    other.leave("a");
    assertEquals(1, waiting.get());
    one.enter("c", start("c"));
    one.leave("b");
    other.leave("b");
    one.leave("c");
    other.leave("c");
    assertEquals(0, waiting.get());
  }

  @Test
  void theLimitIsAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> new WaitingLine<String>(0));
  }
}
