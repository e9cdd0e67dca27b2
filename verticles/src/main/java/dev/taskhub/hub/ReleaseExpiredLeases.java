package dev.taskhub.hub;

import dev.taskhub.store.ReleaseTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Gives RUNNING tasks whose lease ran out back to the queue: their agent died, hangs or lost its hub. The agent,
 * if it comes back, learns that its lease token is stale and kills its executor. Each counts as a lost node for the
 * task: one lost {@code task.maxLostAttempts} times ends ERROR instead.
 */
final class ReleaseExpiredLeases {
  private static final Logger log = LoggerFactory.getLogger(ReleaseExpiredLeases.class);

  private final Vertx vertx;
  private final ReleaseTasks releases;
  private final int maxLostAttempts;
  private final Consumer<ReleaseTasks.Released> onReleased;
  private final LeaderJob job;

  ReleaseExpiredLeases(Vertx vertx, ReleaseTasks releases, int maxLostAttempts, Consumer<ReleaseTasks.Released> onReleased,
                       BooleanSupplier leading) {
    this.vertx = vertx;
    this.releases = releases;
    this.maxLostAttempts = maxLostAttempts;
    this.onReleased = onReleased;
    this.job = new LeaderJob(leading, this::pass);
  }

  void start(long periodMs) {
    vertx.setPeriodic(periodMs, id -> job.run());
  }

  private Future<?> pass() {
    return releases.expiredLeases(maxLostAttempts)
        .onSuccess(released -> {
          if (!released.tasks().isEmpty()) {
            onReleased.accept(released);
          }
        })
        .onFailure(e -> log.warn("releasing expired leases failed, will try again: {}", e.toString()));
  }
}
