package dev.taskhub.launcher.bench;

import dev.taskhub.api.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end throughput with real processes: {@code tasks} tasks registered over HTTP in batches of 1000 while the
 * agents run them; tasks per second from the first registration sent to the last DONE seen.
 */
final class Throughput {
  static final int BATCH = 1000;

  record Result(int tasks, double seconds, double registeredPerSecond) {
    double tasksPerSecond() {
      return tasks / seconds;
    }

    JsonObject toJson(ProcessStartCeiling.Result ceiling) {
      return new JsonObject().put("tasks", tasks).put("seconds", seconds).put("tasksPerSecond", tasksPerSecond())
          .put("ofCeiling", tasksPerSecond() / ceiling.startsPerSecond()).put("registeredPerSecond", registeredPerSecond);
    }

    String describe(ProcessStartCeiling.Result ceiling) {
      return String.format("%8.0f tasks/s   %5.1f%% of the process-start ceiling (%d tasks; registration %.0f tasks/s)",
          tasksPerSecond(), 100 * tasksPerSecond() / ceiling.startsPerSecond(), tasks, registeredPerSecond);
    }
  }

  private final BenchHttp http;
  private final TaskTimeline timeline;

  Throughput(BenchHttp http, TaskTimeline timeline) {
    this.http = http;
    this.timeline = timeline;
  }

  /** Registers {@code tasks} tasks of {@code type} at {@code priority} and waits for all of them to be DONE. */
  Result measure(String type, int tasks, Priority priority) throws IOException, InterruptedException {
    JsonObject task = new JsonObject().put("type", type);
    if (priority != Priority.Normal) {
      task.put("priority", priority.name());
    }
    List<Long> ids = new ArrayList<>(tasks);
    long started = System.nanoTime();
    for (int registered = 0; registered < tasks; registered += BATCH) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < Math.min(BATCH, tasks - registered); i++) {
        batch.add(task.copy());
      }
      ids.addAll(http.registerBatch(batch));
    }
    long registeredAt = System.nanoTime();
    long lastDone = timeline.awaitFinished(ids, 600);
    return new Result(tasks, (lastDone - started) / 1e9, tasks / ((registeredAt - started) / 1e9));
  }
}
