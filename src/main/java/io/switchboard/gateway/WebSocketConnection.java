package io.switchboard.gateway;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.switchboard.protocol.CloseCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@link Connection} over a Vert.x ServerWebSocket. Frames are reassembled here rather than by
 * Vert.x's aggregator, which only reports an oversized message and keeps the connection: protocol v1
 * closes it with 1009, and closes a binary frame with 1003. A single frame over the limit is stopped
 * earlier, by the decoder (maxWebSocketFrameSize), and reported to {@link #failed}.
 */
final class WebSocketConnection implements Connection {

  /** A close reason must fit in a control frame: 125 bytes minus the 2-byte code. */
  private static final int MAX_REASON_BYTES = 123;

  /** Decoders are stateful; each event-loop thread keeps its own. */
  private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));

  private final ServerWebSocket ws;
  private final int maxMessageBytes;
  private ConnectionHandler handler;
  private Buffer fragments;
  private boolean closing;

  WebSocketConnection(ServerWebSocket ws, int maxMessageBytes) {
    this.ws = ws;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void start(ConnectionHandler handler) {
    this.handler = handler;
    ws.frameHandler(this::frame);
    ws.exceptionHandler(this::failed);
    ws.closeHandler(v -> handler.onClosed(ws.closeStatusCode()));
  }

  /**
   * Vert.x configures the frame decoder not to close on protocol violations: it reports them here,
   * then ignores the rest of the input. Close with the status the decoder found.
   */
  private void failed(Throwable t) {
    if (t instanceof CorruptedWebSocketFrameException) {
      int status = ((CorruptedWebSocketFrameException) t).closeStatus().code();
      CloseCode code = status == CloseCode.MESSAGE_TOO_BIG.code() ? CloseCode.MESSAGE_TOO_BIG
          : status == CloseCode.INVALID_PAYLOAD.code() ? CloseCode.INVALID_PAYLOAD : CloseCode.PROTOCOL_ERROR;
      close(code, String.valueOf(t.getMessage()));
    }
    // anything else is an I/O failure: the close handler reports the end
  }

  private void frame(WebSocketFrame frame) {
    if (closing) {
      return;
    }
    handler.onActivity();
    if (frame.isBinary()) {
      close(CloseCode.UNSUPPORTED_DATA, "binary frames are not supported; send JSON text");
    } else if (frame.isText()) {
      if (frame.isFinal()) {
        deliver(frame.binaryData());
      } else {
        fragments = Buffer.buffer().appendBuffer(frame.binaryData());
        checkSize();
      }
    } else if (frame.isContinuation() && fragments != null) {
      fragments.appendBuffer(frame.binaryData());
      if (checkSize() && frame.isFinal()) {
        Buffer message = fragments;
        fragments = null;
        deliver(message);
      }
    }
  }

  /**
   * Vert.x's text decoding replaces invalid UTF-8 silently (Netty's validator lives in a pipeline
   * handler Vert.x does not install): decode strictly and refuse such text with 1007.
   */
  private void deliver(Buffer utf8) {
    CharsetDecoder decoder = STRICT_UTF8.get();
    String text;
    try {
      text = decoder.decode(ByteBuffer.wrap(utf8.getBytes())).toString();
    } catch (CharacterCodingException e) {
      close(CloseCode.INVALID_PAYLOAD, "text frame is not valid UTF-8");
      return;
    }
    handler.onText(text);
  }

  private boolean checkSize() {
    if (fragments.length() > maxMessageBytes) {
      fragments = null;
      close(CloseCode.MESSAGE_TOO_BIG, "message larger than " + maxMessageBytes + " bytes");
      return false;
    }
    return true;
  }

  @Override
  public void send(String text) {
    if (!closing) {
      ws.writeFinalTextFrame(text);
    }
  }

  @Override
  public void close(CloseCode code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    ws.close(code.code(), truncate(reason));
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void pause() {
    ws.pause();
  }

  @Override
  public void resume() {
    ws.resume();
  }

  @Override
  public String remoteAddress() {
    return String.valueOf(ws.remoteAddress());
  }

  static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
    // a multi-byte character cut in half decodes to U+FFFD (3 bytes): drop it
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES || cut.endsWith("\uFFFD")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }
}
