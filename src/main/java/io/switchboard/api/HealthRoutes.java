package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * /health/live: the process runs its event loops (restart it when this fails).
 * /health/ready: it should get traffic: all gateway loops listen, it is not draining, the store answers,
 * and a clustered node is in the cluster (see {@code ClusterLiveness}).
 *
 * <p>Not ready is always 503, whatever the cause: a check that fails or does not answer in time is
 * reported down with its cause, never as the 500 the health-check handler gives a procedure that
 * failed or timed out (a frozen Redis accepts connections and never answers). Balancers retry on 503.
 */
final class HealthRoutes {

  /** A check not answered by then is down. */
  static final long CHECK_TIMEOUT_MS = 2_000;
  /** The handler's own timeout, later than ours, so that it never decides (it would answer 500). */
  private static final long HANDLER_TIMEOUT_MS = CHECK_TIMEOUT_MS + 1_000;

  private HealthRoutes() {
  }

  static void mount(Vertx vertx, Router router, Services services) {
    HealthChecks live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    HealthChecks ready = HealthChecks.create(vertx)
        .register("gateway", p -> p.complete(services.state().accepting() ? Status.OK() : Status.KO()));
    register(ready, "store", () -> services.store().ping().map(true));
    if (vertx.isClustered()) {
      // a node cut off from the others (woken from a long pause, partitioned away) must not get clients
      register(ready, "cluster", () -> services.directory().inCluster());
    }
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
  }

  /** A check that is up when {@code check} answers true within {@link #CHECK_TIMEOUT_MS}, down with its cause otherwise. */
  private static void register(HealthChecks checks, String name, Supplier<Future<Boolean>> check) {
    checks.register(name, HANDLER_TIMEOUT_MS, (Promise<Status> p) -> {
      Future<Boolean> answer;
      try {
        answer = check.get();
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
        if (ar.succeeded() && ar.result()) {
          p.tryComplete(Status.OK());
        } else {
          String cause = ar.failed() ? String.valueOf(ar.cause().getMessage()) : "not in the cluster";
          p.tryComplete(Status.KO(new JsonObject().put("cause", cause)));
        }
      });
    });
  }
}
