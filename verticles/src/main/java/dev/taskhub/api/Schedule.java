package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A stored schedule as every interface shows it. {@code nextRunAt} is the next tick it will fire (null while paused);
 * {@code lastRunAt} the tick of the last task it made.
 */
public record Schedule(String name, String cron, String timezone, JsonObject task, boolean paused, Instant nextRunAt,
                       Instant lastRunAt, Instant createdAt, Instant updatedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("cron", cron).put("timezone", timezone).put("task", task)
        .put("paused", paused).put("nextRunAt", text(nextRunAt)).put("lastRunAt", text(lastRunAt))
        .put("createdAt", text(createdAt)).put("updatedAt", text(updatedAt));
  }

  /** The cron expression, parsed again (it was valid when stored). */
  public Cron parsedCron() {
    return Cron.parse(cron, timezone);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
