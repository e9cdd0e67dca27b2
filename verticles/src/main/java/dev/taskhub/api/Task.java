package dev.taskhub.api;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored task as every interface shows it (HTTP, event bus, monitor). The lease token is not part of this view:
 * only the agent that holds the lease learns it, in the claim reply.
 */
public record Task(
    long id,
    String type,
    String title,
    TaskState state,
    Priority priority,
    String data,
    Instant runAt,
    int attempts,
    int maxAttempts,
    Integer timeoutSeconds,
    List<Long> dependsOn,
    TaskSpec.RunIf runIf,
    String key,
    Double progress,
    String progressMessage,
    JsonObject progressDetails,
    Integer resultCode,
    String resultData,
    JsonObject error,
    String agent,
    String node,
    Instant leaseExpiresAt,
    String tag,
    String app,
    String finalizeUrl,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    /* For a task a schedule made: the schedule's name and the tick it stands for; null otherwise. */
    String schedule,
    Instant scheduledFor) {

  public JsonObject toJson() {
    return json(true);
  }

  /** The view without the task's data, for events and lists where data could be large and is not needed. */
  public JsonObject toSummaryJson() {
    return json(false);
  }

  private JsonObject json(boolean withData) {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("type", type)
        .put("title", title == null ? type : title)
        .put("state", state.name())
        .put("priority", priority.name());
    if (withData) {
      json.put("data", Json.decodeValue(data));
    }
    json.put("runAt", text(runAt))
        .put("attempts", attempts)
        .put("maxAttempts", maxAttempts)
        .put("timeoutSeconds", timeoutSeconds)
        .put("dependsOn", new JsonArray(new ArrayList<>(dependsOn)))
        .put("runIf", runIf.name())
        .put("key", key)
        .put("progress", progress)
        .put("progressMessage", progressMessage)
        .put("progressDetails", progressDetails)
        .put("resultCode", resultCode)
        .put("resultData", resultData)
        .put("error", error)
        .put("agent", agent)
        .put("node", node)
        .put("leaseExpiresAt", text(leaseExpiresAt))
        .put("tag", tag)
        .put("app", app)
        .put("finalizeUrl", finalizeUrl)
        .put("createdAt", text(createdAt))
        .put("startedAt", text(startedAt))
        .put("finishedAt", text(finishedAt))
        .put("schedule", schedule)
        .put("scheduledFor", text(scheduledFor));
    return json;
  }

  public static Task fromJson(JsonObject json) {
    List<Long> dependsOn = new ArrayList<>();
    JsonArray deps = json.getJsonArray("dependsOn", new JsonArray());
    for (int i = 0; i < deps.size(); i++) {
      dependsOn.add(deps.getLong(i));
    }
    return new Task(
        json.getLong("id"),
        json.getString("type"),
        json.getString("title"),
        TaskState.valueOf(json.getString("state")),
        Priority.valueOf(json.getString("priority")),
        json.containsKey("data") ? Json.encode(json.getValue("data")) : "null",
        instant(json, "runAt"),
        json.getInteger("attempts", 0),
        json.getInteger("maxAttempts", 1),
        json.getInteger("timeoutSeconds"),
        List.copyOf(dependsOn),
        TaskSpec.RunIf.valueOf(json.getString("runIf", "success")),
        json.getString("key"),
        json.getDouble("progress"),
        json.getString("progressMessage"),
        json.getJsonObject("progressDetails"),
        json.getInteger("resultCode"),
        json.getString("resultData"),
        json.getJsonObject("error"),
        json.getString("agent"),
        json.getString("node"),
        instant(json, "leaseExpiresAt"),
        json.getString("tag"),
        json.getString("app"),
        json.getString("finalizeUrl"),
        instant(json, "createdAt"),
        instant(json, "startedAt"),
        instant(json, "finishedAt"),
        json.getString("schedule"),
        instant(json, "scheduledFor"));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Instant instant(JsonObject json, String field) {
    String text = json.getString(field);
    return text == null ? null : Instant.parse(text);
  }
}
