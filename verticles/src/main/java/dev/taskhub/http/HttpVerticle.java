package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Settings;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.node.NodeDirectory;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP bridge: JSON over HTTP in front of the hub's event-bus addresses. It holds no state and opens no
 * database connection, so it can run on any node. Every refusal is {@code {"error": …}} with a 4xx/5xx status.
 */
public class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  private static final DeliveryOptions HUB = new DeliveryOptions().setSendTimeout(15_000);

  private HttpServer server;
  private NodeDirectory directory;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    String host = settings.string("http.host", "127.0.0.1");
    int port = settings.integer("http.port", 8080);
    int maxData = settings.integer("task.maxDataBytes", TaskSpec.DEFAULT_MAX_DATA_BYTES);
    directory = NodeDirectory.start(vertx, NodeIdentity.of(vertx, settings));
    long maxBody = Math.max(maxData * 2L + 64 * 1024, settings.integer("http.maxBodyBytes", 16 * 1024 * 1024));
    return vertx.createHttpServer()
        .requestHandler(router(maxBody))
        .listen(port, host)
        .onSuccess(s -> {
          server = s;
          log.info("HTTP API on http://{}:{}/", host, s.actualPort());
        });
  }

  private Router router(long maxBody) {
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(maxBody));
    router.post("/api/tasks").handler(this::register);
    router.get("/api/tasks").handler(this::list);
    router.get("/api/tasks/:id").handler(ctx -> forward(ctx, Addresses.GET, new JsonObject().put("id", id(ctx)), 200));
    router.get("/api/tasks/:id/log").handler(ctx -> forward(ctx, Addresses.LOG, new JsonObject().put("id", id(ctx)), 200));
    router.get("/api/stats").handler(ctx -> forward(ctx, Addresses.STATS, new JsonObject(), 200));
    router.get("/api/nodes").handler(ctx -> ctx.json(directory.nodesJson()));
    router.get("/api/agents").handler(ctx -> ctx.json(directory.agentsJson()));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.route().failureHandler(this::failure);
    router.route().last().handler(ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    return router;
  }

  private void register(RoutingContext ctx) {
    forward(ctx, Addresses.REGISTER, jsonBody(ctx), 201);
  }

  private void list(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    for (String name : ctx.queryParams().names()) {
      String value = ctx.queryParams().get(name);
      switch (name) {
        case "state", "type", "tag" -> query.put(name, value);
        case "limit", "after" -> query.put(name, number(name, value));
        default -> throw Failure.BAD_REQUEST.exception("unknown query parameter '" + name + "': use state, type, tag, limit, after");
      }
    }
    forward(ctx, Addresses.LIST, query, 200);
  }

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    vertx.eventBus().<JsonObject>request(address, body, HUB)
        .onSuccess(reply -> ctx.response().setStatusCode(status)
            .putHeader("content-type", "application/json").end(reply.body().encode()))
        .onFailure(ctx::fail);
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw Failure.BAD_REQUEST.exception("the request body is empty: send a JSON object");
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(body);
      if (!(value instanceof JsonObject json)) {
        throw Failure.BAD_REQUEST.exception("the request body must be a JSON object");
      }
      return json;
    } catch (DecodeException e) {
      throw Failure.BAD_REQUEST.exception("malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  static long id(RoutingContext ctx) {
    return number("id", ctx.pathParam("id"));
  }

  private static long number(String name, String value) {
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw Failure.BAD_REQUEST.exception("'" + name + "' must be a non-negative integer, not '" + value + "'");
    }
  }

  private void failure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    if (e instanceof dev.taskhub.api.TaskhubException t) {
      error(ctx, t.failure().code, t.getMessage());
    } else if (e instanceof ReplyException r) {
      switch (r.failureType()) {
        case NO_HANDLERS -> error(ctx, 503, "no hub is running in this cluster: try again when one is up");
        case TIMEOUT -> error(ctx, 503, "the hub did not answer in time: the request may or may not have been applied");
        default -> error(ctx, r.failureCode() >= 400 && r.failureCode() < 600 ? r.failureCode() : 500, r.getMessage());
      }
    } else if (ctx.statusCode() == 413) {
      error(ctx, 413, "the request body is larger than the limit");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      error(ctx, ctx.statusCode(), "bad request");
    } else {
      log.error("request {} {} failed", ctx.request().method(), ctx.request().path(), e);
      error(ctx, 500, "internal error");
    }
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  private static String firstLine(String text) {
    int nl = text == null ? -1 : text.indexOf('\n');
    return nl < 0 ? String.valueOf(text) : text.substring(0, nl);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
