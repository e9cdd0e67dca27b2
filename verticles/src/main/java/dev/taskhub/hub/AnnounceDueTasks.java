package dev.taskhub.hub;

import dev.taskhub.store.DueTasks;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Announces tasks that became claimable by the passing of time — delayed tasks and retries whose backoff ended —
 * since nothing else would wake the idle agents for them. One cheap indexed query per hub, not one per agent.
 */
final class AnnounceDueTasks {
  private static final Logger log = LoggerFactory.getLogger(AnnounceDueTasks.class);

  private final Vertx vertx;
  private final DueTasks dueTasks;
  private final Consumer<List<String>> announce;
  private Instant since = Instant.now().minusSeconds(5);
  private final BooleanSupplier leading;
  private boolean running;

  AnnounceDueTasks(Vertx vertx, DueTasks dueTasks, Consumer<List<String>> announce, BooleanSupplier leading) {
    this.vertx = vertx;
    this.dueTasks = dueTasks;
    this.announce = announce;
    this.leading = leading;
  }

  void start(long periodMs) {
    vertx.setPeriodic(periodMs, id -> run());
  }

  private void run() {
    if (running || !leading.getAsBoolean()) {
      return;
    }
    running = true;
    dueTasks.typesDueSince(since)
        .onSuccess(due -> {
          since = due.until();
          if (!due.types().isEmpty()) {
            announce.accept(due.types());
          }
        })
        .onFailure(e -> log.warn("looking for due tasks failed, will try again: {}", e.toString()))
        .onComplete(x -> running = false);
  }
}
