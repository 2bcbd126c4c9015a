package io.switchboard.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything a run did and saw, in order: operations, faults, frames in and out, API calls. A
 * failure prints only the events of the device and stream it is about (and the faults), so that
 * the trace of a failing seed stays readable.
 */
final class Trace {

  /**
   * @param device "u1/d0" or null for cluster-wide events (faults, API calls about no device)
   * @param user   the user the event concerns, or null
   * @param stream the stream it concerns, or null
   */
  record Event(int n, long t, String kind, String device, String user, String stream, String text) {
    @Override
    public String toString() {
      return String.format("#%-5d %7.3fs %-6s %-10s %s", n, t / 1000.0, kind, device == null ? "" : device, text);
    }
  }

  private final long start = System.currentTimeMillis();
  private final List<Event> events = new ArrayList<>();

  synchronized Event add(String kind, String device, String user, String stream, String text) {
    Event e = new Event(events.size(), System.currentTimeMillis() - start, kind, device, user, stream, text);
    events.add(e);
    return e;
  }

  long now() {
    return System.currentTimeMillis() - start;
  }

  synchronized int size() {
    return events.size();
  }

  synchronized List<Event> select(Predicate<Event> p) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (p.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The events that matter to one device (or user) and stream: its frames about that stream, its
   * connects and closes, every fault and checkpoint, and API calls about the user or stream. At
   * most {@code max} of them, the last ones (nearest the failure).
   */
  List<Event> relevant(String device, String user, String stream, int uptoEvent, int max) {
    List<Event> all = select(e -> e.n() <= uptoEvent && (
        e.kind().equals("fault") || e.kind().equals("check")
            || (device != null && device.equals(e.device()) && (stream == null || e.stream() == null || stream.equals(e.stream())))
            || (device == null && user != null && user.equals(e.user()) && (stream == null || e.stream() == null || stream.equals(e.stream())))
            || (e.device() == null && stream != null && stream.equals(e.stream()))
            || (e.device() == null && user != null && user.equals(e.user()))));
    return all.size() <= max ? all : all.subList(all.size() - max, all.size());
  }
}
