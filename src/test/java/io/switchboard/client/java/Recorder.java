package io.switchboard.client.java;

import io.switchboard.client.ConnectionState;
import io.switchboard.client.Gap;
import io.switchboard.client.Joined;
import io.switchboard.client.Message;
import io.switchboard.client.Reset;
import io.switchboard.client.Resumed;
import io.switchboard.client.StateChange;
import io.switchboard.client.SwitchboardException;
import io.switchboard.client.SwitchboardListener;
import io.switchboard.client.Welcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Everything a client told its application, in order, for the tests to wait on and check. */
class Recorder implements SwitchboardListener {

  final String name;
  final List<Message> messages = new CopyOnWriteArrayList<>();
  final List<Gap> gaps = new CopyOnWriteArrayList<>();
  final List<Reset> resets = new CopyOnWriteArrayList<>();
  final List<StateChange> states = new CopyOnWriteArrayList<>();
  final List<Welcome> welcomes = new CopyOnWriteArrayList<>();
  final List<Resumed> resumed = new CopyOnWriteArrayList<>();
  final List<SwitchboardException> errors = new CopyOnWriteArrayList<>();
  final List<Joined> joined = new CopyOnWriteArrayList<>();

  Recorder(String name) {
    this.name = name;
  }

  @Override
  public void onMessage(Message m) {
    messages.add(m);
  }

  @Override
  public void onGap(Gap g) {
    gaps.add(g);
  }

  @Override
  public void onReset(Reset r) {
    resets.add(r);
  }

  @Override
  public void onWelcome(Welcome w) {
    welcomes.add(w);
  }

  @Override
  public void onResumed(Resumed r) {
    resumed.add(r);
  }

  @Override
  public void onStateChanged(StateChange c) {
    states.add(c);
  }

  @Override
  public void onError(SwitchboardException e) {
    errors.add(e);
  }

  @Override
  public void onJoined(Joined j) {
    joined.add(j);
  }

  List<Message> messages(String stream) {
    return messages.stream().filter(m -> stream.equals(m.getStream())).toList();
  }

  List<Long> seqs(String stream) {
    return messages(stream).stream().map(Message::getSeq).toList();
  }

  /** Where the state changes recorded so far end: {@link #awaitState} looks at those after it. */
  int mark() {
    return states.size();
  }

  /** The first change to {@code state} after {@code mark}. */
  StateChange awaitState(int mark, ConnectionState state, long timeoutMs) {
    await(name + " to become " + state, timeoutMs, () -> stateAfter(mark, state) != null);
    return stateAfter(mark, state);
  }

  StateChange stateAfter(int mark, ConnectionState state) {
    List<StateChange> s = states;
    for (int i = mark; i < s.size(); i++) {
      if (s.get(i).getState() == state) {
        return s.get(i);
      }
    }
    return null;
  }

  List<StateChange> statesAfter(int mark) {
    return List.copyOf(states.subList(mark, states.size()));
  }

  void await(String what, long timeoutMs, BooleanSupplier condition) {
    until(what, timeoutMs, condition, this::toString);
  }

  @Override
  public String toString() {
    return name + ": states " + states + ", messages " + seqRanges() + ", gaps " + gaps + ", resets " + resets
        + ", errors " + errors + ", joined " + joined + ", welcomes " + welcomes;
  }

  /** The seqs received per stream in arrival order, runs of consecutive seqs shortened: {@code user:x 1-37 39-50}. */
  String seqRanges() {
    Map<String, StringBuilder> out = new LinkedHashMap<>();
    Map<String, long[]> run = new LinkedHashMap<>();
    for (Message m : messages) {
      StringBuilder b = out.computeIfAbsent(m.getStream(), k -> new StringBuilder());
      long[] r = run.get(m.getStream());
      if (r != null && m.getSeq() == r[1] + 1) {
        r[1] = m.getSeq();
        continue;
      }
      if (r != null) {
        b.append(' ').append(r[0]).append(r[0] == r[1] ? "" : "-" + r[1]);
      }
      run.put(m.getStream(), new long[] {m.getSeq(), m.getSeq()});
    }
    run.forEach((stream, r) -> out.get(stream).append(' ').append(r[0]).append(r[0] == r[1] ? "" : "-" + r[1]));
    StringBuilder all = new StringBuilder("{");
    out.forEach((stream, b) -> all.append(all.length() > 1 ? ", " : "").append(stream).append(b));
    return all.append('}').toString();
  }

  /** Polls {@code condition} until it holds; fails with {@code context} once {@code timeoutMs} passed. */
  static void until(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> context) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + "\n" + context.get());
      }
      // the poll interval of a wait on a condition, not a wait in itself
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
