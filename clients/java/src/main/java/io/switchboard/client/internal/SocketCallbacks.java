package io.switchboard.client.internal;

import io.switchboard.client.CloseCodes;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * OkHttp calls these on its own threads: each hops onto the loop, and is dropped if its socket is gone.
 * A failed upgrade is told as a close: its HTTP status says whether trying again can help, and its
 * {@code Retry-After} how long to wait.
 */
final class SocketCallbacks extends WebSocketListener {
  /** The connection the socket belongs to; called on the loop thread only. */
  interface Target {
    /** Still the socket of connection attempt {@code g}. */
    boolean current(int g, WebSocket socket);

    void opened();

    void frame(String text);

    /** The socket is gone; {@code refused}: the node will not take this client, whatever the retry. */
    void closed(int code, String reason, long retryAfterMs, boolean refused);
  }

  private final Loop loop;
  private final int g;
  private final Target target;

  SocketCallbacks(Loop loop, int g, Target target) {
    this.loop = loop;
    this.g = g;
    this.target = target;
  }

  @Override
  public void onOpen(final WebSocket socket, Response response) {
    loop.execute(() -> {
      if (target.current(g, socket)) {
        target.opened();
      }
    });
  }

  @Override
  public void onMessage(final WebSocket socket, final String text) {
    loop.execute(() -> {
      if (target.current(g, socket)) {
        target.frame(text);
      }
    });
  }

  @Override
  public void onClosing(final WebSocket socket, final int code, final String reason) {
    socket.close(CloseCodes.NORMAL, null);
    closed(socket, code, reason, 0, false);
  }

  @Override
  public void onClosed(WebSocket socket, int code, String reason) {
    closed(socket, code, reason, 0, false);
  }

  @Override
  public void onFailure(WebSocket socket, Throwable t, Response response) {
    String why = String.valueOf(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    long retryAfterMs = 0;
    boolean refused = false;
    if (response != null && response.code() != 101) {
      int status = response.code();
      why = "the upgrade was answered HTTP " + status;
      // a wrong path (404), an origin refused (403): trying again cannot help; 408, 429 and 5xx can
      refused = status >= 400 && status < 500 && status != 408 && status != 429;
      String ra = response.header("Retry-After");
      if (ra != null) {
        try {
          retryAfterMs = Long.parseLong(ra.trim()) * 1000;
        } catch (NumberFormatException ignored) {
          // an HTTP date: the backoff alone decides
        }
      }
      response.close();
    }
    closed(socket, Connection.LOCAL_DROP, why, retryAfterMs, refused);
  }

  private void closed(final WebSocket socket, final int code, final String reason, final long retryAfterMs,
      final boolean refused) {
    loop.execute(() -> {
      if (target.current(g, socket)) {
        target.closed(code, reason, retryAfterMs, refused);
      }
    });
  }
}
