package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/**
 * A task handed to one agent: the lease token that fences every later report of that agent, and the attempt's fence,
 * a number that grows with every attempt of the task and never repeats (the executor's {@code TASKHUB_FENCE}).
 */
public record Claim(Task task, String leaseToken, long fence) {

  public JsonObject toJson() {
    return new JsonObject().put("task", task.toJson()).put("leaseToken", leaseToken).put("fence", fence);
  }

  public static Claim fromJson(JsonObject json) {
    return new Claim(Task.fromJson(json.getJsonObject("task")), json.getString("leaseToken"), json.getLong("fence", 0L));
  }
}
