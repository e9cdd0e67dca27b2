package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Keeps every hub's {@link TaskCounts} whole: this hub tells the others its moves a few times a second, takes theirs,
 * and takes the leader's periodic count of the whole table as its new baseline ({@link ReconcileTaskCounts}). Between
 * two such counts the figures may be off by what a lost message or a statement's own settling left out.
 */
final class ShareTaskCounts {
  private static final long SHARE_MS = 200;

  private final Vertx vertx;
  private final TaskCounts counts;
  private final String self = UUID.randomUUID().toString();

  ShareTaskCounts(Vertx vertx, TaskCounts counts) {
    this.vertx = vertx;
    this.counts = counts;
  }

  void start() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.TASK_COUNTS, msg -> counts.replace(msg.body().getJsonArray("rows")));
    bus.<JsonObject>consumer(Addresses.TASK_COUNT_MOVES, msg -> {
      if (!self.equals(msg.body().getString("hub"))) {
        counts.apply(msg.body().getJsonObject("moves"));
      }
    });
    vertx.setPeriodic(SHARE_MS, id -> {
      JsonObject moves = counts.drainMoves();
      if (moves != null) {
        bus.publish(Addresses.TASK_COUNT_MOVES, new JsonObject().put("hub", self).put("moves", moves));
      }
    });
  }
}
