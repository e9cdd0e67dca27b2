package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#TASK_EVENTS}: a task changed state or priority ({@code "state"}), reported progress
 * ({@code "progress"}), or was deleted ({@code "deleted"}, with the task as it was).
 */
public record TaskEvent(String kind, Task task) {

  public static TaskEvent state(Task task) {
    return new TaskEvent("state", task);
  }

  public static TaskEvent progress(Task task) {
    return new TaskEvent("progress", task);
  }

  public static TaskEvent deleted(Task task) {
    return new TaskEvent("deleted", task);
  }

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind).put("task", task.toSummaryJson());
  }

  public static TaskEvent fromJson(JsonObject json) {
    return new TaskEvent(json.getString("kind"), Task.fromJson(json.getJsonObject("task")));
  }
}
