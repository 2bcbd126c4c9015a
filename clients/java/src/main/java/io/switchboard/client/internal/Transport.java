package io.switchboard.client.internal;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.json.JSONObject;

import java.util.concurrent.TimeUnit;

/**
 * The socket itself, one at a time, over OkHttp: the application's {@code OkHttpClient} or one of the
 * client's own, which it shuts down with the client. Confined to the loop thread.
 */
final class Transport {
  private final OkHttpClient http;
  private final boolean ownHttp;
  private WebSocket ws;

  Transport(Options o) {
    if (o.okHttpClient != null) {
      http = o.okHttpClient.newBuilder().pingInterval(0, TimeUnit.MILLISECONDS).build();
      ownHttp = false;
    } else {
      http = new OkHttpClient.Builder()
          .connectTimeout(o.connectTimeoutMs, TimeUnit.MILLISECONDS)
          .readTimeout(0, TimeUnit.MILLISECONDS)
          .writeTimeout(o.connectTimeoutMs, TimeUnit.MILLISECONDS)
          .pingInterval(0, TimeUnit.MILLISECONDS)
          .build();
      ownHttp = true;
    }
  }

  boolean isOpen() {
    return ws != null;
  }

  boolean isCurrent(WebSocket socket) {
    return ws == socket;
  }

  void open(Request request, WebSocketListener listener) {
    ws = http.newWebSocket(request, listener);
  }

  boolean send(JSONObject frame) {
    WebSocket w = ws;
    return w != null && w.send(frame.toString());
  }

  /** Lets go of the socket, which the caller closes: its callbacks no longer count. */
  WebSocket release() {
    WebSocket w = ws;
    ws = null;
    return w;
  }

  /** Once nothing more is sent: OkHttp's threads go, if they are the client's own. */
  void shutdown() {
    if (ownHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
