package io.switchboard.protocol;

import java.util.Map;

/** A parsed, type-checked frame from a client. */
public sealed interface ClientFrame {

  /** The frame's {@code type} as on the wire ({@link FrameType}), e.g. for the frame counters. */
  String type();

  /** First frame of every connection. {@code resume} maps a stream to the last position the client holds. */
  record Hello(String token, String device, String client, Map<String, Resume> resume) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.HELLO;
    }
  }

  /**
   * Where a client is in a stream: the last seq it holds, and the epoch it got it in as the server
   * wrote it, or null when the client sent a bare seq (it then means the stream's current epoch).
   */
  record Resume(long seq, String epoch) {
  }

  /** {@code body} is the JSON text of the body, kept encoded so it is stored and relayed as sent. */
  record Send(Object ref, String to, String body, String id, boolean transientOnly) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.SEND;
    }
  }

  record Join(Object ref, String room) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.JOIN;
    }
  }

  record Leave(Object ref, String room) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.LEAVE;
    }
  }

  record Ack(String stream, long seq) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.ACK;
    }
  }

  record Ping(Object ref) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.PING;
    }
  }

  record Pong(Object ref) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.PONG;
    }
  }

  record Refresh(String token) implements ClientFrame {
    @Override
    public String type() {
      return FrameType.REFRESH;
    }
  }
}
