package dev.taskhub.launcher.bench;

import dev.taskhub.api.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The hub's own view of one task at a time on an idle node: registration over the event bus → RUNNING seen on the
 * task-event stream (the claim committed, before the executor starts) → DONE. It misses HTTP and the process start;
 * {@link HttpToRunningLatency} is what a user waits for.
 */
final class EventBusLatency {

  /** Milliseconds from the registration request. */
  record Result(Percentiles toRunning, Percentiles toDone) {
    JsonObject toJson() {
      return new JsonObject().put("samples", toRunning.samples()).put("toRunningP50Ms", toRunning.p50())
          .put("toRunningP95Ms", toRunning.p95()).put("toDoneP50Ms", toDone.p50()).put("toDoneP95Ms", toDone.p95());
    }

    String describe() {
      return String.format("%8.1f ms to RUNNING (p95 %.1f), %.1f ms to DONE (p95 %.1f)  (event bus, as the hub sees it)",
          toRunning.p50(), toRunning.p95(), toDone.p50(), toDone.p95());
    }
  }

  private final EventBus bus;
  private final TaskTimeline timeline;

  EventBusLatency(EventBus bus, TaskTimeline timeline) {
    this.bus = bus;
    this.timeline = timeline;
  }

  Result measure(String type) throws InterruptedException {
    List<Double> toRunning = new ArrayList<>();
    List<Double> toDone = new ArrayList<>();
    for (int i = 0; i < HttpToRunningLatency.WARM_UP + HttpToRunningLatency.SAMPLES; i++) {
      long sent = System.nanoTime();
      long id = bus.<JsonObject>request(Addresses.REGISTER, new JsonObject().put("type", type)).await().body().getLong("id");
      timeline.awaitFinished(List.of(id), 60);
      if (i >= HttpToRunningLatency.WARM_UP) {
        toRunning.add((timeline.running(id) - sent) / 1e6);
        toDone.add((timeline.finished(id) - sent) / 1e6);
      }
      Thread.sleep(50);
    }
    return new Result(Percentiles.of(toRunning), Percentiles.of(toDone));
  }
}
