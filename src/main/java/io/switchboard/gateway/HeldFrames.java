package io.switchboard.gateway;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Frames a client sent after hello, held until the session is open. The node stops reading while it
 * handles hello, so what is held is what one network read brought along with the hello; the bound
 * is for a client that crammed more into it.
 */
final class HeldFrames {

  /** Frames held while hello is handled, at most: a client pipelining more is closed with 4429. */
  static final int MAX_FRAMES = 100;
  static final int MAX_CHARS = 256 * 1024;

  private ArrayDeque<String> frames;
  private int chars;

  /** @return false when the frame would pass the bound (it is not held) */
  boolean hold(String text) {
    if (frames == null) {
      frames = new ArrayDeque<>();
    }
    if (frames.size() >= MAX_FRAMES || chars + text.length() > MAX_CHARS) {
      return false;
    }
    chars += text.length();
    frames.add(text);
    return true;
  }

  /** What was held, oldest first; nothing is held afterwards. */
  List<String> takeAll() {
    List<String> out = frames == null ? List.of() : List.copyOf(frames);
    frames = null;
    chars = 0;
    return out;
  }

  void clear() {
    frames = null;
    chars = 0;
  }

  static String bound() {
    return MAX_FRAMES + " frames or " + MAX_CHARS / 1024 + " KiB";
  }
}
