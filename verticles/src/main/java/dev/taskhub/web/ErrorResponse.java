package dev.taskhub.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one way a refusal is written: a 4xx/5xx status and {@code {"error": "…"}}, never a stack trace. */
public final class ErrorResponse {
  private ErrorResponse() {
  }

  /** Does nothing when the answer has begun (a stream that broke half-way): its status is gone already. */
  public static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
