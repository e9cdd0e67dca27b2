package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ready}: 200 {@code {"status":"READY"}} when this node can serve — a clustered node is in its cluster,
 * and a hub answers that its database is up at the schema it needs — otherwise 503
 * {@code {"status":"NOT_READY","reasons":[…]}}; a draining node (shutting down) has the reason {@code "draining"}.
 * {@code /health} stays liveness: the process answers at all.
 */
final class Readiness {
  private static final DeliveryOptions HUB = new DeliveryOptions().setSendTimeout(3_000);

  private final Vertx vertx;
  private final BooleanSupplier draining;

  Readiness(Vertx vertx, BooleanSupplier draining) {
    this.vertx = vertx;
    this.draining = draining;
  }

  void answer(RoutingContext ctx) {
    reasons().onComplete(done -> {
      List<String> reasons = done.succeeded() ? done.result() : List.of(done.cause().getMessage());
      JsonObject body = new JsonObject().put("status", reasons.isEmpty() ? "READY" : "NOT_READY");
      if (!reasons.isEmpty()) {
        body.put("reasons", new JsonArray(reasons));
      }
      ctx.response().setStatusCode(reasons.isEmpty() ? 200 : 503).putHeader("content-type", "application/json")
          .end(body.encode());
    });
  }

  Future<List<String>> reasons() {
    List<String> reasons = new ArrayList<>();
    if (draining.getAsBoolean()) {
      reasons.add(Draining.REASON);
    }
    if (vertx.isClustered() && !((VertxInternal) vertx).clusterManager().isActive()) {
      reasons.add("this node is not in its cluster");
    }
    return vertx.eventBus().<JsonObject>request(Addresses.READY, new JsonObject(), HUB)
        .map(reply -> {
          reply.body().getJsonArray("reasons").forEach(r -> reasons.add((String) r));
          return reasons;
        })
        .otherwise(e -> {
          reasons.add(e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
              ? "no hub is running in this cluster"
              : e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT
              ? "no hub answered within 3 s" : "the hub could not tell: " + e.getMessage());
          return reasons;
        });
  }
}
