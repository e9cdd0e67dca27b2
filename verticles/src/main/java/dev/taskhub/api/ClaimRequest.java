package dev.taskhub.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** An idle agent asks for one task of the types it has executors for. */
public record ClaimRequest(String agent, String node, List<String> types) {

  public JsonObject toJson() {
    return new JsonObject().put("agent", agent).put("node", node).put("types", new JsonArray(List.copyOf(types)));
  }

  @SuppressWarnings("unchecked")
  public static ClaimRequest fromJson(JsonObject json) {
    return new ClaimRequest(json.getString("agent"), json.getString("node"), json.getJsonArray("types").getList());
  }
}
