package dev.taskhub.launcher.bench;

import dev.taskhub.api.Priority;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Runs untimed rounds of tasks until the JIT compiler is nearly done, so the figures are those of a node that has been
 * running for a while, as a server does. After 2,000 tasks the compiler threads still took a fifth of the node's CPU
 * (async-profiler, 10 s after a 5,000-task warm-up: 20% of the JVM's samples in C2), and every later figure came out
 * higher than the first: the throughput with a backlog above the one without.
 */
final class WarmUp {
  private static final int ROUND = 1000;
  private static final int MAX_ROUNDS = 30;
  /** The compiler's share of a round's wall time below which the JVM counts as warm. */
  private static final double QUIET = 0.05;

  private WarmUp() {
  }

  /**
   * Runs rounds of {@code true} tasks, as many as a measured run but at most {@link #ROUND}, until the compiler is quiet
   * (or for {@link #MAX_ROUNDS}); says what it took.
   */
  static String run(Throughput throughput, int tasks) throws IOException, InterruptedException {
    int round = Math.min(ROUND, tasks);
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      throughput.measure(BenchExecutors.TRUE, 5 * round, Priority.Normal);
      return "warmed up with " + 5 * round + " tasks (this JVM does not report its compilation time)";
    }
    double share = 1;
    int rounds = 0;
    while (share >= QUIET && rounds < MAX_ROUNDS) {
      long compiling = jit.getTotalCompilationTime();
      long started = System.nanoTime();
      throughput.measure(BenchExecutors.TRUE, round, Priority.Normal);
      rounds++;
      share = (jit.getTotalCompilationTime() - compiling) / ((System.nanoTime() - started) / 1e6);
    }
    return String.format("warmed up with %,d tasks; the JIT compiler took %.0f%% of the last round's time", rounds * round,
        100 * share);
  }
}
