package dev.taskhub.hub;

import dev.taskhub.api.Task;
import dev.taskhub.store.ReleaseTasks;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Gives RUNNING tasks whose lease ran out back to the queue: their agent died, hangs or lost its hub. The agent,
 * if it comes back, learns that its lease token is stale and kills its executor.
 */
final class ReleaseExpiredLeases {
  private static final Logger log = LoggerFactory.getLogger(ReleaseExpiredLeases.class);

  private final Vertx vertx;
  private final ReleaseTasks releases;
  private final Consumer<List<Task>> onReleased;
  private final BooleanSupplier leading;
  private boolean running;

  ReleaseExpiredLeases(Vertx vertx, ReleaseTasks releases, Consumer<List<Task>> onReleased, BooleanSupplier leading) {
    this.vertx = vertx;
    this.releases = releases;
    this.onReleased = onReleased;
    this.leading = leading;
  }

  void start(long periodMs) {
    vertx.setPeriodic(periodMs, id -> run());
  }

  private void run() {
    if (running || !leading.getAsBoolean()) {
      return; // another hub leads, or the previous pass is still waiting for the database
    }
    running = true;
    releases.expiredLeases()
        .onSuccess(tasks -> {
          if (!tasks.isEmpty()) {
            onReleased.accept(tasks);
          }
        })
        .onFailure(e -> log.warn("releasing expired leases failed, will try again: {}", e.toString()))
        .onComplete(x -> running = false);
  }
}
