package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/**
 * What a running agent tells the hub, coalesced: the latest progress and the log lines since the last report.
 * Every report also renews the lease; a report with nothing new is a plain renewal.
 */
public record ProgressReport(long id, String leaseToken, Double progress, String message, JsonObject details, String log) {

  public static ProgressReport renewal(long id, String leaseToken) {
    return new ProgressReport(id, leaseToken, null, null, null, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("leaseToken", leaseToken).put("progress", progress)
        .put("message", message).put("details", details).put("log", log);
  }

  public static ProgressReport fromJson(JsonObject json) {
    return new ProgressReport(json.getLong("id"), json.getString("leaseToken"), json.getDouble("progress"),
        json.getString("message"), json.getJsonObject("details"), json.getString("log"));
  }
}
