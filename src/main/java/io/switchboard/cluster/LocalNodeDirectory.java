package io.switchboard.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/** A standalone node is the whole cluster: its entry is kept here, refreshed like a clustered node's. */
public final class LocalNodeDirectory implements NodeDirectory {

  private final Vertx vertx;
  private final NodeFigures self;
  private final long timer;
  private volatile Future<NodeInfo> latest;

  public LocalNodeDirectory(Vertx vertx, NodeFigures self) {
    this.vertx = vertx;
    this.self = self;
    this.latest = self.refresh();
    this.timer = vertx.setPeriodic(HazelcastNodeDirectory.REFRESH_MS, t -> self.refresh().onSuccess(info -> latest = Future.succeededFuture(info)));
  }

  @Override
  public Future<List<NodeInfo>> nodes() {
    // nothing to share: the counts are this instant's, the rates and health the last refresh's
    return latest.map(info -> List.of(self.live(info)));
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
