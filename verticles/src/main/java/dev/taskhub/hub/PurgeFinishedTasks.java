package dev.taskhub.hub;

import dev.taskhub.store.PurgeTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Retention ({@code retention.finished}): purges the tasks that finished longer ago than that, with their logs and
 * finalization rows, so the database does not grow forever. Run by the maintenance leader every
 * {@value #PERIOD_MS} ms, in batches of {@value #BATCH} rows, one short statement each, until a batch comes back
 * short: the queue's rows are never locked for longer than one batch (see {@link PurgeTasks}).
 */
final class PurgeFinishedTasks {
  private static final Logger log = LoggerFactory.getLogger(PurgeFinishedTasks.class);
  static final long PERIOD_MS = 30_000;
  static final int BATCH = 500;

  private final Vertx vertx;
  private final PurgeTasks purge;
  private final Clock clock;
  private final Duration retention;
  private final BooleanSupplier leading;
  private final LeaderJob job;

  PurgeFinishedTasks(Vertx vertx, PurgeTasks purge, Clock clock, Duration retention, BooleanSupplier leading) {
    this.vertx = vertx;
    this.purge = purge;
    this.clock = clock;
    this.retention = retention;
    this.leading = leading;
    this.job = new LeaderJob(leading, this::pass);
  }

  void start() {
    vertx.setTimer(5_000, first -> job.run()); // soon after start, then every period
    vertx.setPeriodic(PERIOD_MS, id -> job.run());
  }

  private Future<?> pass() {
    Instant cutOff = clock.instant().minus(retention);
    return batches(cutOff, 0)
        .onSuccess(purged -> {
          if (purged > 0) {
            log.info("retention: purged {} tasks that finished before {} (retention.finished {})", purged, cutOff, retention);
          }
        })
        .onFailure(e -> log.warn("retention: purging finished tasks failed, will try again: {}", e.toString()));
  }

  private Future<Integer> batches(Instant cutOff, int sofar) {
    return purge.finishedBefore(cutOff, BATCH).compose(n -> n < BATCH || !leading.getAsBoolean()
        ? Future.succeededFuture(sofar + n) : batches(cutOff, sofar + n));
  }
}
