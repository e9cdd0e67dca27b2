package dev.taskhub.launcher.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This machine's ceiling for starting the executor: {@code threads} threads starting and reaping the same command
 * with ProcessBuilder, no Taskhub at all. No task can run faster than its process starts, so every throughput comes
 * with its ratio to this.
 */
final class ProcessStartCeiling {

  record Result(int threads, double startsPerSecond) {
    JsonObject toJson() {
      return new JsonObject().put("threads", threads).put("startsPerSecond", startsPerSecond);
    }

    String describe() {
      return String.format("%8.0f starts/s  (%d threads starting the true executor, no Taskhub)", startsPerSecond, threads);
    }
  }

  private ProcessStartCeiling() {
  }

  /** Warms the spawning path up for a second (the JIT compiles it first), then measures for {@code seconds}. */
  static Result measure(List<String> command, int threads, int seconds) throws InterruptedException {
    startsPerSecond(command, threads, 1);
    return new Result(threads, startsPerSecond(command, threads, seconds));
  }

  static double startsPerSecond(List<String> command, int threads, int seconds) throws InterruptedException {
    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          try {
            new ProcessBuilder(command).start().waitFor();
            count.incrementAndGet();
          } catch (IOException | InterruptedException e) {
            return;
          }
        }
      }, "bench-spawn-" + i);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    return count.get() / (double) seconds;
  }
}
