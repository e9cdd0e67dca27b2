package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Settings;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskhubException;
import dev.taskhub.monitor.MonitorRoutes;
import dev.taskhub.node.NodeDirectory;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The HTTP bridge: JSON over HTTP in front of the hub's event-bus addresses. It holds no state and opens no
 * database connection, so it can run on any node. The routes are built from the OpenAPI document
 * ({@value #CONTRACT}, served at {@code /api/openapi.yaml}): every operation in it must have a handler here and
 * every request is validated against it, so the document and the behaviour cannot drift apart. Each operation
 * runs {@link CheckAccess} (token and role), then validation, then its handler. Every refusal is
 * {@code {"error": …}} with a 4xx/5xx status.
 */
public class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  static final String CONTRACT = "openapi/taskhub.yaml";
  private static final DeliveryOptions HUB = new DeliveryOptions().setSendTimeout(15_000);

  private HttpServer server;
  private NodeDirectory directory;
  private TaskEventStreams streams;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    String host = settings.string("http.host", "127.0.0.1");
    int port = settings.integer("http.port", 8080);
    int maxData = settings.integer("task.maxDataBytes", TaskSpec.DEFAULT_MAX_DATA_BYTES);
    directory = NodeDirectory.start(vertx, NodeIdentity.of(vertx, settings));
    long maxBody = Math.max(maxData * 2L + 64 * 1024, settings.integer("http.maxBodyBytes", 16 * 1024 * 1024));
    streams = new TaskEventStreams(vertx);
    return vertx.executeBlocking(() -> tokens(settings, host)) // reads a file and may resolve a host name
        .compose(tokens -> OpenAPIContract.from(vertx, CONTRACT)
            .compose(contract -> vertx.fileSystem().readFile(CONTRACT).map(document -> router(contract, document, tokens, maxBody)))
            .compose(router -> vertx.createHttpServer().requestHandler(router).listen(port, host))
            .onSuccess(s -> {
              server = s;
              log.info("HTTP API on http://{}:{}/ ({})", host, s.actualPort(), tokens.isEmpty()
                  ? "no API tokens: open to anyone who can reach " + host : tokens.size() + " API tokens");
            }));
  }

  /**
   * The configured tokens. Bound to anything but a loopback address, the node refuses to start without any: an
   * open task API on a network would run any executor for anyone.
   */
  private static ApiTokens tokens(Settings settings, String host) throws IOException {
    String file = settings.string("api.tokensFile", null);
    List<String> lines = file == null ? List.of() : Files.readAllLines(Paths.get(file));
    ApiTokens tokens = ApiTokens.parse(settings.string("api.tokens", null), lines, "api.tokensFile " + file);
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("http.host '" + host + "' is not a known address");
    }
    if (!loopback && tokens.isEmpty()) {
      throw new IllegalStateException("refusing to serve the HTTP API on " + host + " without API tokens: "
          + "set api.tokens (token:role,… with roles admin, submit, read) or api.tokensFile, "
          + "or bind http.host to 127.0.0.1");
    }
    return tokens;
  }

  // ------------------------------------------------------------------ routes

  private Router router(OpenAPIContract contract, Buffer document, ApiTokens tokens, long maxBody) {
    Map<String, Handler<RoutingContext>> handlers = handlers(document);
    RequestValidator validator = RequestValidator.create(vertx, contract);
    ValidationErrors errors = new ValidationErrors(contract.getRawContract());
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(maxBody));
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      Handler<RoutingContext> handler = handlers.remove(operation.getOperationId());
      if (handler == null) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " of " + CONTRACT + " has no handler");
      }
      // Validation is ours rather than the builder's, so that the token is checked before anything else.
      route.setDoSecurity(false).setDoValidation(false)
          .addHandler(new CheckAccess(tokens, operation))
          .addHandler(validate(operation, validator, errors))
          .addHandler(handler);
    }
    if (!handlers.isEmpty()) {
      throw new IllegalStateException("handlers without an operation in " + CONTRACT + ": " + handlers.keySet());
    }
    Router router = builder.createRouter();
    MonitorRoutes.mount(router, vertx, Settings.of(config()), tokens); // the page at /, when this node has the monitor role
    router.route().failureHandler(this::failure);
    router.route().last().handler(ctx -> noRoute(ctx, contract));
    return router;
  }

  /** Every operationId of the contract, and what answers it. */
  private Map<String, Handler<RoutingContext>> handlers(Buffer document) {
    Map<String, Handler<RoutingContext>> h = new HashMap<>();
    h.put("health", ctx -> ctx.json(new JsonObject().put("status", "UP").put("openEventStreams", streams.open())));
    h.put("openApi", ctx -> ctx.response().putHeader("content-type", "application/yaml; charset=utf-8").end(document));
    h.put("registerTasks", ctx -> forward(ctx, Addresses.REGISTER, body(ctx), 201));
    h.put("listTasks", ctx -> forward(ctx, Addresses.LIST, query(ctx), 200));
    h.put("getTask", ctx -> forward(ctx, Addresses.GET, idOnly(ctx), 200));
    h.put("changeTask", ctx -> forward(ctx, Addresses.UPDATE, body(ctx).put("id", id(ctx)), 200));
    h.put("deleteTask", ctx -> forward(ctx, Addresses.DELETE, idOnly(ctx), 204));
    h.put("getTaskLog", ctx -> forward(ctx, Addresses.LOG, idOnly(ctx), 200));
    // An event stream: the contract validates its request like any other, but cannot declare its media type
    // (vertx-openapi 5.0 knows no text/event-stream), so the YAML describes the answer in words.
    h.put("streamTaskEvents", ctx -> streams.start(id(ctx), ctx.response(),
        () -> request(Addresses.GET, idOnly(ctx)).map(Message::body)).onFailure(ctx::fail));
    h.put("stats", ctx -> forward(ctx, Addresses.STATS, new JsonObject(), 200));
    h.put("nodes", ctx -> ctx.json(directory.nodesJson()));
    h.put("agents", ctx -> ctx.json(directory.agentsJson()));
    return h;
  }

  /**
   * Refuses query parameters the operation does not declare (the validator would ignore them: a misspelt filter
   * must not silently list everything) and repeated ones, then validates the request against the contract.
   */
  private static Handler<RoutingContext> validate(Operation operation, RequestValidator validator, ValidationErrors errors) {
    Set<String> declared = operation.getParameters().stream().filter(p -> p.getIn() == Location.QUERY)
        .map(Parameter::getName).collect(Collectors.toCollection(TreeSet::new));
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    return ctx -> {
      MultiMap query;
      try {
        query = ctx.queryParams();
      } catch (IllegalArgumentException e) {
        error(ctx, 400, "malformed query string: " + e.getMessage());
        return;
      }
      for (String name : query.names()) {
        if (!declared.contains(name)) {
          error(ctx, 400, "unknown query parameter '" + name + "'"
              + (declared.isEmpty() ? ": this endpoint takes none" : ": use " + String.join(", ", declared)));
          return;
        }
        if (query.getAll(name).size() > 1) {
          error(ctx, 400, "the query parameter '" + name + "' is given more than once");
          return;
        }
      }
      Future<ValidatedRequest> validated;
      try {
        validated = extractor.extractValidatableRequest(ctx, operation)
            .compose(request -> validator.validate(request, operation.getOperationId()));
      } catch (RuntimeException e) {
        validated = Future.failedFuture(e);
      }
      validated.onSuccess(request -> {
        ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, request);
        ctx.next();
      }).onFailure(e -> {
        if (e instanceof ValidatorException refused) {
          ValidationErrors.Refusal refusal = errors.describe(refused, ctx, operation);
          error(ctx, refusal.status(), refusal.message());
        } else {
          ctx.fail(e); // not the request's fault: logged, and answered 500
        }
      });
    };
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  private static long id(RoutingContext ctx) {
    return validated(ctx).getPathParameters().get("id").getLong();
  }

  private static JsonObject idOnly(RoutingContext ctx) {
    return new JsonObject().put("id", id(ctx));
  }

  private static JsonObject body(RoutingContext ctx) {
    return validated(ctx).getBody().getJsonObject().copy();
  }

  /** The declared query parameters that were given, typed as the contract says. */
  private static JsonObject query(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    validated(ctx).getQuery().forEach((name, value) -> {
      if (!value.isNull()) {
        query.put(name, value.get());
      }
    });
    return query;
  }

  private void noRoute(RoutingContext ctx, OpenAPIContract contract) {
    Path path = contract.findPath(ctx.normalizedPath());
    if (path == null) {
      error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path() + " (the API is described at /api/openapi.yaml)");
      return;
    }
    String allowed = path.getOperations().stream().map(o -> o.getHttpMethod().name()).sorted().collect(Collectors.joining(", "));
    ctx.response().putHeader("Allow", allowed);
    error(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.request().path() + ": use " + allowed);
  }

  // ------------------------------------------------------------------ the hub

  private Future<Message<JsonObject>> request(String address, JsonObject body) {
    return vertx.eventBus().request(address, body, HUB);
  }

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    request(address, body)
        .onSuccess(reply -> {
          ctx.response().setStatusCode(status);
          if (status == 204) {
            ctx.response().end();
          } else {
            ctx.response().putHeader("content-type", "application/json").end(reply.body().encode());
          }
        })
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------ errors

  private void failure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    if (e instanceof TaskhubException t) {
      error(ctx, t.failure().code, t.getMessage());
    } else if (e instanceof ReplyException r) {
      switch (r.failureType()) {
        case NO_HANDLERS -> error(ctx, 503, "no hub is running in this cluster: try again when one is up");
        case TIMEOUT -> error(ctx, 503, "the hub did not answer in time: the request may or may not have been applied");
        default -> error(ctx, r.failureCode() >= 400 && r.failureCode() < 600 ? r.failureCode() : 500, r.getMessage());
      }
    } else if (ctx.statusCode() == 413) {
      error(ctx, 413, "the request body is larger than the limit (http.maxBodyBytes)");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      error(ctx, ctx.statusCode(), "malformed request: " + detail(e));
    } else {
      log.error("request {} {} failed", ctx.request().method(), ctx.request().path(), e);
      error(ctx, 500, "internal error");
    }
  }

  /** The first explanation in a failure's causes, else a guess: the router refuses only malformed requests itself. */
  private static String detail(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().equals("Bad Request")) {
        return t.getMessage();
      }
    }
    return "the URL, its query string or a header is malformed";
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
