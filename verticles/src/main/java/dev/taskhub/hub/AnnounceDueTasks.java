package dev.taskhub.hub;

import dev.taskhub.store.DueTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Announces tasks that became claimable by the passing of time — delayed tasks and retries whose backoff ended —
 * since nothing else would wake the idle agents for them. One cheap indexed query per period on the leading hub, not
 * one per agent. Every {@link #OVERLOOKED_EVERY}th period it also announces the types whose tasks have waited longer
 * than {@link #OVERLOOKED_AFTER}, so a lost announcement delays a task by seconds instead of stranding it: agents
 * claim only when told to.
 */
final class AnnounceDueTasks {
  private static final Logger log = LoggerFactory.getLogger(AnnounceDueTasks.class);

  private final Vertx vertx;
  private final DueTasks dueTasks;
  private final Consumer<List<String>> announce;
  static final Duration OVERLOOKED_AFTER = Duration.ofSeconds(5);
  static final int OVERLOOKED_EVERY = 10;

  private Instant since = Instant.now().minusSeconds(5);
  private int periods;
  private final LeaderJob job;

  AnnounceDueTasks(Vertx vertx, DueTasks dueTasks, Consumer<List<String>> announce, BooleanSupplier leading) {
    this.vertx = vertx;
    this.dueTasks = dueTasks;
    this.announce = announce;
    this.job = new LeaderJob(leading, this::pass);
  }

  void start(long periodMs) {
    vertx.setPeriodic(periodMs, id -> job.run());
  }

  private Future<?> pass() {
    boolean overlooked = ++periods % OVERLOOKED_EVERY == 0;
    return dueTasks.typesDueSince(since)
        .compose(due -> {
          since = due.until();
          if (!due.types().isEmpty()) {
            announce.accept(due.types());
          }
          return overlooked ? dueTasks.typesWaitingLongerThan(OVERLOOKED_AFTER) : Future.succeededFuture(List.<String>of());
        })
        .onSuccess(waiting -> {
          if (!waiting.isEmpty()) {
            announce.accept(waiting);
          }
        })
        .onFailure(e -> log.warn("looking for due tasks failed, will try again: {}", e.toString()));
  }
}
