package dev.taskhub.launcher.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How much of the agents' time went to running tasks while READY tasks waited: Σ(run time inside the window) divided
 * by agents × window, the window running from the first start to the last claim (after it the backlog was empty, so
 * an idle agent there is not the hub's fault). A run is a task's {@code startedAt}..{@code finishedAt}.
 */
record BusyShare(Instant windowStart, Instant windowEnd, double share) {

  record Run(Instant started, Instant finished) {
  }

  static BusyShare of(List<Run> runs, int agents) {
    if (runs.isEmpty() || agents < 1) {
      throw new IllegalArgumentException("no runs, or no agents");
    }
    Instant start = runs.stream().map(Run::started).min(Instant::compareTo).orElseThrow();
    Instant end = runs.stream().map(Run::started).max(Instant::compareTo).orElseThrow();
    long window = Duration.between(start, end).toNanos();
    if (window == 0) {
      return new BusyShare(start, end, 1.0); // every task started at once: no agent waited for work
    }
    long busy = 0;
    for (Run run : runs) {
      Instant from = run.started().isBefore(start) ? start : run.started();
      Instant to = run.finished().isAfter(end) ? end : run.finished();
      busy += Math.max(0, Duration.between(from, to).toNanos());
    }
    return new BusyShare(start, end, busy / ((double) agents * window));
  }

  double windowSeconds() {
    return Duration.between(windowStart, windowEnd).toNanos() / 1e9;
  }
}
