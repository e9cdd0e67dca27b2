package dev.taskhub.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * A node's periodic sign of life on {@link Addresses#NODE_HEARTBEAT}: its machine's CPU and memory, its roles, its
 * agents, and the task types its agents have an executor for ({@code executors}, empty on a node without agents).
 * {@code periodSeconds} tells receivers when to consider the node gone (three periods of silence); {@code draining}:
 * the node is shutting down, it claims nothing more and lets its running tasks end; {@code stopped}: its last
 * heartbeat, sent as it stops, so that it is shown gone at once rather than after three silent periods.
 */
public record NodeHeartbeat(String id, List<String> roles, double cpuPercent, long memoryTotalMb, long memoryFreeMb,
                            List<AgentStatus> agents, Instant startedAt, Instant at, int periodSeconds, boolean draining,
                            boolean stopped, List<String> executors) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("roles", new JsonArray(List.copyOf(roles)))
        .put("cpu", cpuPercent)
        .put("memory", new JsonObject().put("totalMb", memoryTotalMb).put("freeMb", memoryFreeMb)
            .put("usedMb", memoryTotalMb - memoryFreeMb))
        .put("agents", new JsonArray(agents.stream().map(AgentStatus::toJson).toList()))
        .put("startedAt", startedAt.toString())
        .put("at", at.toString())
        .put("periodSeconds", periodSeconds)
        .put("draining", draining)
        .put("stopped", stopped)
        .put("executors", new JsonArray(List.copyOf(executors)));
  }

  @SuppressWarnings("unchecked")
  public static NodeHeartbeat fromJson(JsonObject json) {
    JsonObject memory = json.getJsonObject("memory");
    return new NodeHeartbeat(json.getString("id"), json.getJsonArray("roles").getList(), json.getDouble("cpu"),
        memory.getLong("totalMb"), memory.getLong("freeMb"),
        json.getJsonArray("agents").stream().map(a -> AgentStatus.fromJson((JsonObject) a)).toList(),
        Instant.parse(json.getString("startedAt")), Instant.parse(json.getString("at")), json.getInteger("periodSeconds"),
        json.getBoolean("draining", false), json.getBoolean("stopped", false), // absent from an older node's
        json.getJsonArray("executors", new JsonArray()).getList());
  }
}
