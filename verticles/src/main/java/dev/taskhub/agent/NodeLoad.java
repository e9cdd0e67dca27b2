package dev.taskhub.agent;

import java.lang.management.ManagementFactory;

/**
 * Whether this machine may take one more task: its CPU use and free memory within the limits
 * {@code agent.maxCpuLoad} (percent, 0–100) and {@code agent.minFreeMemoryMb}. Unset limits always pass.
 */
final class NodeLoad {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final Double maxCpuPercent;
  private final Double minFreeMemoryMb;

  NodeLoad(Double maxCpuPercent, Double minFreeMemoryMb) {
    this.maxCpuPercent = maxCpuPercent;
    this.minFreeMemoryMb = minFreeMemoryMb;
  }

  boolean limited() {
    return maxCpuPercent != null || minFreeMemoryMb != null;
  }

  /** Null when there is capacity, else why not (for the log). */
  String refusal() {
    if (maxCpuPercent != null) {
      double cpu = cpuPercent();
      if (cpu > maxCpuPercent) {
        return String.format("CPU at %.0f%%, above agent.maxCpuLoad %.0f%%", cpu, maxCpuPercent);
      }
    }
    if (minFreeMemoryMb != null) {
      double free = freeMemoryMb();
      if (free < minFreeMemoryMb) {
        return String.format("%.0f MB free, below agent.minFreeMemoryMb %.0f", free, minFreeMemoryMb);
      }
    }
    return null;
  }

  static double cpuPercent() {
    double load = OS.getCpuLoad();
    return load < 0 ? 0 : load * 100;
  }

  static double freeMemoryMb() {
    return OS.getFreeMemorySize() / (1024.0 * 1024.0);
  }

  static double totalMemoryMb() {
    return OS.getTotalMemorySize() / (1024.0 * 1024.0);
  }
}
