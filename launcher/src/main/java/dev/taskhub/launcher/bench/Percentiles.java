package dev.taskhub.launcher.bench;

import java.util.List;

/** The median, 95th percentile and maximum of a sample, by nearest rank: each is one of the values measured. */
record Percentiles(int samples, double p50, double p95, double max) {

  static Percentiles of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = values.stream().sorted().toList();
    return new Percentiles(sorted.size(), nearestRank(sorted, 50), nearestRank(sorted, 95), sorted.get(sorted.size() - 1));
  }

  /** The smallest value with at least {@code p} percent of the sample at or below it. */
  static double nearestRank(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
  }
}
