package io.switchboard.checker;

import io.vertx.core.json.JsonObject;

/**
 * Where a client is in a stream: the last seq it holds, and the stream's epoch when the server
 * names epochs (null before they exist on the wire: one history per stream is then assumed).
 */
record Position(long seq, String epoch) {

  /** The form hello.resume takes: a bare lastSeq, or {seq, epoch} once epochs exist. */
  Object wire() {
    return epoch == null ? (Object) seq : new JsonObject().put("seq", seq).put("epoch", epoch);
  }
}
