package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * /health/live: the process runs its event loops (restart it when this fails).
 * /health/ready: it should get traffic: all gateway loops listen, it is not draining, the store answers,
 * and a clustered node is in the cluster (see {@code ClusterLiveness}).
 */
final class HealthRoutes {

  private static final long STORE_TIMEOUT_MS = 2_000;

  private HealthRoutes() {
  }

  static void mount(Vertx vertx, Router router, Services services) {
    HealthChecks live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    HealthChecks ready = HealthChecks.create(vertx)
        .register("gateway", p -> p.complete(services.state().accepting() ? Status.OK() : Status.KO()))
        .register("store", STORE_TIMEOUT_MS, p -> services.store().ping()
            .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK() : Status.KO())));
    if (vertx.isClustered()) {
      // a node cut off from the others (woken from a long pause, partitioned away) must not get clients
      ready.register("cluster", STORE_TIMEOUT_MS, p -> services.directory().inCluster()
          .onComplete(ar -> p.complete(ar.succeeded() && ar.result() ? Status.OK() : Status.KO())));
    }
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
  }
}
