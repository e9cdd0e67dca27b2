package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/** Published on {@link Addresses#TASK_EVENTS}: a task changed state ({@code "state"}) or reported progress ({@code "progress"}). */
public record TaskEvent(String kind, Task task) {

  public static TaskEvent state(Task task) {
    return new TaskEvent("state", task);
  }

  public static TaskEvent progress(Task task) {
    return new TaskEvent("progress", task);
  }

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind).put("task", task.toSummaryJson());
  }

  public static TaskEvent fromJson(JsonObject json) {
    return new TaskEvent(json.getString("kind"), Task.fromJson(json.getJsonObject("task")));
  }
}
