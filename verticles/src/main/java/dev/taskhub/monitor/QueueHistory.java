package dev.taskhub.monitor;

import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The recent past of the queue for the page's charts: one point per sample with the tasks started and finished per
 * second since the previous sample (counted from task events, so it costs the database nothing) and the queue's depth
 * in each live state (from the hub's latest stats). A fixed number of points: older ones fall off.
 */
final class QueueHistory {
  private final int capacity;
  private final Deque<JsonObject> points = new ArrayDeque<>();
  private long started;
  private long finished;
  private Instant lastSample;
  private JsonObject byState;

  QueueHistory(int capacity, Instant now) {
    this.capacity = capacity;
    this.lastSample = now;
  }

  void taskStarted() {
    started++;
  }

  void taskFinished() {
    finished++;
  }

  /** The latest {@code byState} counts from the hub's stats. */
  void depth(JsonObject byState) {
    this.byState = byState;
  }

  /** Closes the current interval: appends its point and returns it. */
  JsonObject sample(Instant now) {
    double seconds = Math.max(0.001, (now.toEpochMilli() - lastSample.toEpochMilli()) / 1000.0);
    JsonObject point = new JsonObject()
        .put("t", now.toEpochMilli() / 1000.0)
        .put("started", round(started / seconds))
        .put("finished", round(finished / seconds));
    for (TaskState state : TaskState.LIVE) {
      point.put(state.name().toLowerCase(), byState == null ? null : byState.getLong(state.name(), 0L));
    }
    points.addLast(point);
    if (points.size() > capacity) {
      points.removeFirst();
    }
    started = 0;
    finished = 0;
    lastSample = now;
    return point;
  }

  JsonArray points() {
    return new JsonArray(new java.util.ArrayList<>(points));
  }

  private static double round(double perSecond) {
    return Math.round(perSecond * 100) / 100.0;
  }
}
