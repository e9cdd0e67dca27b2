package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.ScheduleSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TypeSettings;
import dev.taskhub.node.NodeDirectory;
import dev.taskhub.web.ErrorResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What answers each operation of the contract, by operationId: most forward the request to the hub's event-bus
 * address and answer its reply. They run after {@link ValidateRequest}, so parameters are typed and a body is JSON;
 * what a body holds is checked by the code every interface shares ({@code TaskSpec} in the hub, {@code TaskState.Change}).
 */
final class Operations {
  private static final DeliveryOptions HUB = new DeliveryOptions().setSendTimeout(15_000);

  private final Vertx vertx;
  private final NodeDirectory directory;
  private final TaskEventStreams streams;
  private final Buffer document;
  private final Readiness readiness;
  private final MetricsScrape metrics;

  Operations(Vertx vertx, NodeDirectory directory, TaskEventStreams streams, Buffer document, Draining draining) {
    this.vertx = vertx;
    this.directory = directory;
    this.streams = streams;
    this.document = document;
    this.readiness = new Readiness(vertx, draining::isDraining);
    this.metrics = new MetricsScrape(directory);
  }

  /** Every operationId of the contract, and what answers it. */
  Map<String, Handler<RoutingContext>> handlers() {
    Map<String, Handler<RoutingContext>> h = new HashMap<>();
    h.put("health", ctx -> ctx.json(new JsonObject().put("status", "UP").put("openEventStreams", streams.open())));
    h.put("ready", readiness::answer);
    h.put("metrics", metrics::answer);
    h.put("openApi", ctx -> ctx.response().putHeader("content-type", "application/yaml; charset=utf-8").end(document));
    h.put("registerTasks", ctx -> withBody(ctx, body -> forward(ctx, Addresses.REGISTER, body, 201)));
    h.put("listTasks", ctx -> forward(ctx, Addresses.LIST, query(ctx), 200));
    h.put("getTask", ctx -> forward(ctx, Addresses.GET, idOnly(ctx), 200));
    h.put("changeTask", ctx -> withBody(ctx, body ->
        forward(ctx, Addresses.UPDATE, TaskState.Change.fromJson(body).toJson().put("id", id(ctx)), 200)));
    h.put("deleteTask", ctx -> forward(ctx, Addresses.DELETE, idOnly(ctx), 204));
    h.put("getTaskLog", ctx -> forward(ctx, Addresses.LOG, idOnly(ctx), 200));
    // An event stream: the contract validates its request like any other, but cannot declare its media type
    // (vertx-openapi 5.0 knows no text/event-stream), so the YAML describes the answer in words.
    h.put("streamTaskEvents", ctx -> streams.start(id(ctx), ctx.response(),
        () -> request(Addresses.GET, idOnly(ctx)).map(Message::body)).onFailure(ctx::fail));
    h.put("listSchedules", ctx -> forward(ctx, Addresses.SCHEDULE_LIST, new JsonObject(), 200));
    h.put("getSchedule", ctx -> forward(ctx, Addresses.SCHEDULE_GET, nameOnly(ctx), 200));
    h.put("putSchedule", ctx -> withBody(ctx, body -> request(Addresses.SCHEDULE_PUT, nameOnly(ctx).put("schedule", body))
        .onSuccess(reply -> ctx.response().setStatusCode(reply.body().getBoolean("created") ? 201 : 200)
            .putHeader("content-type", "application/json").end(reply.body().getJsonObject("schedule").encode()))
        .onFailure(ctx::fail)));
    h.put("changeSchedule", ctx -> withBody(ctx, body ->
        forward(ctx, Addresses.SCHEDULE_CHANGE, nameOnly(ctx).put("action", ScheduleSpec.action(body)), 200)));
    h.put("deleteSchedule", ctx -> forward(ctx, Addresses.SCHEDULE_DELETE, nameOnly(ctx), 204));
    h.put("listTypes", ctx -> request(Addresses.TYPE_LIST, new JsonObject())
        .onSuccess(reply -> ctx.json(withNodes(reply.body()))).onFailure(ctx::fail));
    h.put("getType", ctx -> request(Addresses.TYPE_GET, typeOnly(ctx))
        .onSuccess(reply -> ctx.json(withNodes(reply.body()))).onFailure(ctx::fail));
    h.put("putType", ctx -> withBody(ctx, body -> request(Addresses.TYPE_PUT, typeOnly(ctx).put("settings", body))
        .onSuccess(reply -> ctx.json(withNodes(reply.body()))).onFailure(ctx::fail)));
    h.put("stats", ctx -> forward(ctx, Addresses.STATS, new JsonObject(), 200));
    h.put("nodes", ctx -> ctx.json(directory.nodesJson()));
    h.put("agents", ctx -> ctx.json(directory.agentsJson()));
    return h;
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  private static long id(RoutingContext ctx) {
    return validated(ctx).getPathParameters().get("id").getLong();
  }

  private static JsonObject nameOnly(RoutingContext ctx) {
    return new JsonObject().put("name", validated(ctx).getPathParameters().get("name").getString());
  }

  private static JsonObject typeOnly(RoutingContext ctx) {
    return new JsonObject().put("type", validated(ctx).getPathParameters().get("type").getString());
  }

  /**
   * The hub's answer about types, with where each runs and could run, from the heartbeats this node hears (the hub
   * knows the database, not the nodes); a list also gains the types some node has an executor for and nothing else.
   */
  private JsonObject withNodes(JsonObject answer) {
    JsonArray types = answer.getJsonArray("types");
    if (types == null) {
      return answer.put("nodes", directory.typeNodes(answer.getString("type")));
    }
    Set<String> listed = new HashSet<>();
    types.forEach(t -> listed.add(((JsonObject) t).getString("type")));
    for (String type : directory.executorTypes()) {
      if (!listed.contains(type)) {
        JsonObject counts = new JsonObject();
        Arrays.stream(TaskState.values()).forEach(state -> counts.put(state.name(), 0));
        types.add(new JsonObject().put("type", type).put("settings", TypeSettings.NONE.toJson()).put("counts", counts));
      }
    }
    List<JsonObject> sorted = new ArrayList<>(types.stream().map(JsonObject.class::cast).toList());
    sorted.sort(Comparator.comparing(t -> t.getString("type")));
    sorted.forEach(t -> t.put("nodes", directory.typeNodes(t.getString("type"))));
    return new JsonObject().put("types", new JsonArray(new ArrayList<>(sorted)));
  }

  private static JsonObject idOnly(RoutingContext ctx) {
    return new JsonObject().put("id", id(ctx));
  }

  /** Runs {@code then} with the body, a JSON object (a copy), or refuses anything else; a refusal it throws fails the request. */
  private static void withBody(RoutingContext ctx, Consumer<JsonObject> then) {
    if (validated(ctx).getBody().get() instanceof JsonObject body) {
      try {
        then.accept(body.copy());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    } else {
      ErrorResponse.send(ctx, 400, "the request body must be a JSON object");
    }
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
}
