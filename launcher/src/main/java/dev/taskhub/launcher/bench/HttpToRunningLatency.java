package dev.taskhub.launcher.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * From a client's POST to the executor's first instruction, measured by the executor itself: one task at a time on an
 * idle node, over one kept-alive HTTP connection. The executor ({@link BenchExecutors#STAMP}) appends
 * {@code date +%s%N} to a file named after its task id; the latency is that stamp minus the wall clock read just
 * before the POST was sent (both CLOCK_REALTIME). It includes everything a user waits for: HTTP, the insert, the
 * announcement, the claim, the wrappers and the shell's start.
 */
final class HttpToRunningLatency {
  static final int WARM_UP = 5;
  static final int SAMPLES = 40;
  /** Tasks posted in all: the warm-up ones and the samples. */
  static final int POSTS = WARM_UP + SAMPLES;

  /** Milliseconds: to the executor's first instruction, and until the POST was answered. */
  record Result(Percentiles toRunning, Percentiles answered) {
    JsonObject toJson() {
      return new JsonObject().put("samples", toRunning.samples()).put("p50Ms", toRunning.p50()).put("p95Ms", toRunning.p95())
          .put("maxMs", toRunning.max()).put("postAnsweredP50Ms", answered.p50()).put("postAnsweredMaxMs", answered.max());
    }

    String describe() {
      return String.format("%8.1f ms p50, %.1f ms p95, %.1f ms max  (POST → executor's first instruction, %d samples;"
          + " the POST answered in %.1f ms p50)", toRunning.p50(), toRunning.p95(), toRunning.max(), toRunning.samples(), answered.p50());
    }
  }

  private final BenchHttp http;
  private final TaskTimeline timeline;
  private final Path stamps;

  HttpToRunningLatency(BenchHttp http, TaskTimeline timeline, Path stamps) {
    this.http = http;
    this.timeline = timeline;
    this.stamps = stamps;
  }

  Result measure() throws IOException, InterruptedException {
    List<Double> toRunning = new ArrayList<>();
    List<Double> answered = new ArrayList<>();
    try (OneConnection connection = new OneConnection(http.base())) {
      for (int i = 0; i < POSTS; i++) {
        byte[] post = connection.post("/api/tasks", new JsonObject().put("type", BenchExecutors.STAMP));
        long sent = epochNanos(Instant.now());
        long sentNanos = System.nanoTime();
        long id = connection.send(post).getLong("id");
        long answeredNanos = System.nanoTime() - sentNanos;
        timeline.awaitFinished(List.of(id), 60);
        long started = Long.parseLong(Files.readString(stamps.resolve(Long.toString(id))).trim());
        if (i >= WARM_UP) {
          toRunning.add((started - sent) / 1e6);
          answered.add(answeredNanos / 1e6);
        }
        Thread.sleep(50); // the agent cleans up and the hub finalizes: the next sample starts on an idle node
      }
    }
    return new Result(Percentiles.of(toRunning), Percentiles.of(answered));
  }

  static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
