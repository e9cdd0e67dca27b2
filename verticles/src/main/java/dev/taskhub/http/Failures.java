package dev.taskhub.http;

import dev.taskhub.api.Causes;
import dev.taskhub.api.TaskhubException;
import dev.taskhub.web.ErrorResponse;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/**
 * How a failed request is answered: a refusal keeps its status and message (a hub's reply carries both), a missing
 * or silent hub is 503, a route that does not exist 404 or 405; anything else is logged and answered 500 without
 * its stack trace.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {
  }

  static void answer(RoutingContext ctx) {
    Throwable e = ctx.failure();
    if (e instanceof TaskhubException t) {
      ErrorResponse.send(ctx, t.failure().code, t.getMessage());
    } else if (e instanceof ReplyException r) {
      switch (r.failureType()) {
        case NO_HANDLERS -> ErrorResponse.send(ctx, 503, "no hub is running in this cluster: try again when one is up");
        case TIMEOUT -> ErrorResponse.send(ctx, 503, "the hub did not answer in time: the request may or may not have been applied");
        default -> ErrorResponse.send(ctx, r.failureCode() >= 400 && r.failureCode() < 600 ? r.failureCode() : 500, r.getMessage());
      }
    } else if (ctx.statusCode() == 413) {
      ErrorResponse.send(ctx, 413, "the request body is larger than the limit (http.maxBodyBytes)");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      ErrorResponse.send(ctx, ctx.statusCode(), "malformed request: " + detail(e));
    } else {
      log.error("request {} {} failed", ctx.request().method(), ctx.request().path(), e);
      ErrorResponse.send(ctx, 500, "internal error");
    }
  }

  /** The first explanation in a failure's causes, else a guess: the router refuses only malformed requests itself. */
  private static String detail(Throwable e) {
    String message = Causes.firstMessage(e, m -> !m.equals("Bad Request"));
    return message != null ? message : "the URL, its query string or a header is malformed";
  }

  /** No route matched: 405 naming the methods when the path exists, else 404. */
  static void noRoute(RoutingContext ctx, OpenAPIContract contract) {
    Path path = contract.findPath(ctx.normalizedPath());
    if (path == null) {
      ErrorResponse.send(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()
          + " (the API is described at /api/openapi.yaml)");
      return;
    }
    String allowed = path.getOperations().stream().map(o -> o.getHttpMethod().name()).sorted().collect(Collectors.joining(", "));
    ctx.response().putHeader("Allow", allowed);
    ErrorResponse.send(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.request().path() + ": use " + allowed);
  }
}
