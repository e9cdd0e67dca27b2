package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** What one agent is doing; published on {@link Addresses#AGENT_STATUS} whenever it changes. */
public record AgentStatus(String id, String node, String state, Long taskId, String taskType, Instant since) {

  public static final String IDLE = "idle";
  public static final String BUSY = "busy";

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("node", node).put("state", state).put("taskId", taskId)
        .put("taskType", taskType).put("since", since.toString());
  }

  public static AgentStatus fromJson(JsonObject json) {
    return new AgentStatus(json.getString("id"), json.getString("node"), json.getString("state"),
        json.getLong("taskId"), json.getString("taskType"), Instant.parse(json.getString("since")));
  }
}
