package dev.taskhub.launcher.bench;

import dev.taskhub.api.Priority;
import dev.taskhub.store.Backlog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Whether a deep queue costs the claim anything: the throughput of {@code true} tasks once with only the run's own
 * tasks queued, then again after {@code N} READY tasks of the SAME type were inserted behind the hub's back
 * ({@link Backlog#insertReady}); and the JVM's heap after a full GC before and after (hub, agents and bench share it).
 *
 * <p>The measured tasks are registered at Important, both times. {@link Backlog} inserts at Normal, so claims take
 * the measured tasks first: the claim index is ordered (type, priority, run_at, id), and the probe walks the same
 * index of N + M entries it would walk for an Unimportant backlog under Normal tasks, without a change to the store
 * for the bench. The alternative, measuring the first M backlog tasks to finish, would have timed tasks registered
 * a different way (one INSERT … SELECT) than the run it is compared with. The backlog is left queued: the agents start
 * on it once the measured tasks are done, so this comes last on the node.
 */
final class BacklogScale {

  record Result(int queued, double insertSeconds, Throughput.Result small, Throughput.Result large, long heapBefore, long heapAfter) {
    double ratio() {
      return large.tasksPerSecond() / small.tasksPerSecond();
    }

    JsonObject toJson() {
      return new JsonObject().put("queued", queued).put("insertSeconds", insertSeconds).put("tasks", small.tasks())
          .put("smallBacklogTasksPerSecond", small.tasksPerSecond()).put("largeBacklogTasksPerSecond", large.tasksPerSecond())
          .put("ratio", ratio()).put("heapBeforeMb", heapBefore / 1048576.0).put("heapAfterMb", heapAfter / 1048576.0);
    }

    String describe() {
      return String.format("%8.0f tasks/s with %,d more READY tasks of the same type vs %.0f tasks/s without: %.2f×"
              + " (inserted in %.1f s); heap after a full GC %.0f MB → %.0f MB",
          large.tasksPerSecond(), queued, small.tasksPerSecond(), ratio(), insertSeconds, heapBefore / 1048576.0,
          heapAfter / 1048576.0);
    }
  }

  private final Throughput throughput;
  private final Vertx vertx;
  private final String databaseUrl;

  BacklogScale(Throughput throughput, Vertx vertx, String databaseUrl) {
    this.throughput = throughput;
    this.vertx = vertx;
    this.databaseUrl = databaseUrl;
  }

  Result measure(int backlog, int tasks) throws IOException, InterruptedException {
    Throughput.Result small = throughput.measure(BenchExecutors.TRUE, tasks, Priority.Important);
    long heapBefore = heapAfterFullGc();
    long started = System.nanoTime();
    Backlog.insertReady(vertx, databaseUrl, BenchExecutors.TRUE, backlog).await();
    double insertSeconds = (System.nanoTime() - started) / 1e9;
    Throughput.Result large = throughput.measure(BenchExecutors.TRUE, tasks, Priority.Important);
    long heapAfter = heapAfterFullGc();
    return new Result(backlog, insertSeconds, small, large, heapBefore, heapAfter);
  }

  static long heapAfterFullGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
