package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/** A task handed to one agent, with the lease token that fences every later report of that agent. */
public record Claim(Task task, String leaseToken) {

  public JsonObject toJson() {
    return new JsonObject().put("task", task.toJson()).put("leaseToken", leaseToken);
  }

  public static Claim fromJson(JsonObject json) {
    return new Claim(Task.fromJson(json.getJsonObject("task")), json.getString("leaseToken"));
  }
}
