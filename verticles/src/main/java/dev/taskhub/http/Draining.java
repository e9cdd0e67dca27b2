package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import dev.taskhub.web.ErrorResponse;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Whether this node drains (it is shutting down: {@link Addresses#NODE_DRAINING}). Meanwhile its HTTP API refuses new
 * work with 503 — a task or a schedule handed to a node that is about to leave would be the client's to retry anyway,
 * and a load balancer that watches {@code /ready} sends it to another node — and answers everything else as usual:
 * reads, {@code /health}, the metrics, the monitor, and changes to existing tasks (cancel, retry, …), which an operator
 * may need while the drain waits for them. Used on the HTTP verticle's event loop only.
 */
final class Draining implements Handler<RoutingContext> {
  /** The operations that add work: refused while draining. */
  static final Set<String> NEW_WORK = Set.of("registerTasks", "putSchedule");
  static final String REASON = "draining";

  private boolean draining;

  /** Listens on the calling verticle's context. */
  static Draining listen(Vertx vertx) {
    Draining state = new Draining();
    vertx.eventBus().localConsumer(Addresses.NODE_DRAINING, msg -> state.draining = true);
    return state;
  }

  boolean isDraining() {
    return draining;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!draining) {
      ctx.next();
      return;
    }
    // Connection: close, so that a client on a kept-alive connection reconnects, through its balancer, to another node.
    ctx.response().putHeader("Retry-After", "1").putHeader("Connection", "close");
    ErrorResponse.send(ctx, 503, "this node is draining (it is shutting down) and takes no new work: send it to another node");
  }
}
