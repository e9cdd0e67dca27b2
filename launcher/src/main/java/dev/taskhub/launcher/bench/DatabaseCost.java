package dev.taskhub.launcher.bench;

import dev.taskhub.store.DatabaseServer;
import dev.taskhub.store.Store;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * What one run cost the database per task, independent of the machine: commits ({@code xact_commit} of the bench's
 * database), statements the hub sent ({@link Store#statementsSent()}, JVM-wide: the node runs in the bench's JVM) and
 * row writes (inserts + updates + deletes on the {@code taskhub} schema's tables). The counters are read before and
 * after the run; everything between counts, the hub's periodic jobs included.
 *
 * <p>PostgreSQL 15+ keeps each backend's statistics in the backend until it flushes them: at most once a second while
 * busy and, for an idle backend with some left over, up to 10 s later (PGSTAT_IDLE_INTERVAL).
 * {@code pg_stat_force_next_flush()} only reaches the calling backend, not the hub's, so a reading is taken
 * {@link #flushDelayNanos} after the activity it must include. Older servers send theirs to the collector within about
 * half a second.
 */
final class DatabaseCost {

  /** One reading of the three counters. */
  record Counters(long commits, long statements, long rowWrites) {
    Counters minus(Counters before) {
      return new Counters(commits - before.commits, statements - before.statements, rowWrites - before.rowWrites);
    }
  }

  /** Per task, registration included. */
  record PerTask(int tasks, double commits, double statements, double rowWrites) {
    static PerTask of(Counters delta, int tasks) {
      return new PerTask(tasks, delta.commits() / (double) tasks, delta.statements() / (double) tasks,
          delta.rowWrites() / (double) tasks);
    }

    JsonObject toJson() {
      return new JsonObject().put("tasks", tasks).put("commitsPerTask", commits).put("statementsPerTask", statements)
          .put("rowWritesPerTask", rowWrites);
    }

    String describe() {
      return String.format("%.2f commits, %.2f statements, %.2f row writes per task (%d tasks, registration included)",
          commits, statements, rowWrites, tasks);
    }
  }

  private final BenchDatabase database;
  private final Durability server;

  DatabaseCost(BenchDatabase database, Durability server) {
    this.database = database;
    this.server = server;
  }

  /** How long after the last activity a reading must wait for the server's statistics to include it. */
  long flushDelayNanos() {
    return server.versionNumber() >= 150000 ? TimeUnit.MILLISECONDS.toNanos(12_000) : TimeUnit.MILLISECONDS.toNanos(1_500);
  }

  /** Sleeps until {@link #flushDelayNanos} has passed since {@code activityEndedNanos} (a System.nanoTime()). */
  void awaitFlushed(long activityEndedNanos) throws InterruptedException {
    long wait = activityEndedNanos + flushDelayNanos() - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /**
   * Reads the counters in one statement (one commit of the bench's own, a rounding error over a run). Before it, this
   * backend's earlier readings are flushed so that they land on both sides alike.
   */
  Counters read() {
    long statements = Store.statementsSent();
    DatabaseServer.Activity activity = database.reader().activity(server.versionNumber() >= 150000).await();
    return new Counters(activity.commits(), statements, activity.rowWrites());
  }
}
