package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/**
 * How an executor's run ended. {@code succeeded} is the protocol's verdict (exit 0 and no ERROR line); a failed run
 * is retried by the hub while attempts remain. {@code log} holds the log lines not yet reported.
 */
public record CompletionReport(long id, String leaseToken, boolean succeeded, Integer exitCode, String resultData,
                               JsonObject error, Double progress, String message, String log) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("leaseToken", leaseToken).put("succeeded", succeeded)
        .put("exitCode", exitCode).put("resultData", resultData).put("error", error)
        .put("progress", progress).put("message", message).put("log", log);
  }

  public static CompletionReport fromJson(JsonObject json) {
    return new CompletionReport(json.getLong("id"), json.getString("leaseToken"), json.getBoolean("succeeded"),
        json.getInteger("exitCode"), json.getString("resultData"), json.getJsonObject("error"),
        json.getDouble("progress"), json.getString("message"), json.getString("log"));
  }
}
