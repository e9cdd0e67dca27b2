package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.store.ReadTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * Corrects every hub's {@link TaskCounts} from one count of the whole table, made by the maintenance leader only and
 * published to all hubs. Between two counts a hub's figures lack only what other hubs did and what happened inside a
 * statement (dependents settled, a priority change): with one hub the figures are exact but for those; with several,
 * they are at most {@code metrics.reconcileSeconds} late. We chose this over counting per scrape (a GROUP BY over
 * every task each time a page or Prometheus asks: the monitor alone asked once a second) and over a counts table kept
 * by trigger (a write on one hot row per transition, serialising the claims the hub is built to run in parallel).
 */
final class ReconcileTaskCounts {
  private static final Logger log = LoggerFactory.getLogger(ReconcileTaskCounts.class);

  private final Vertx vertx;
  private final ReadTasks reads;
  private final LeaderJob job;

  ReconcileTaskCounts(Vertx vertx, ReadTasks reads, BooleanSupplier leading) {
    this.vertx = vertx;
    this.reads = reads;
    this.job = new LeaderJob(leading, this::pass);
  }

  void start(long periodMs) {
    vertx.setPeriodic(periodMs, id -> job.run());
  }

  private Future<?> pass() {
    return reads.counts()
        .onSuccess(rows -> vertx.eventBus().publish(Addresses.TASK_COUNTS, new JsonObject().put("rows", rows)))
        .onFailure(e -> log.warn("counting the tasks failed, will try again: {}", e.toString()));
  }
}
