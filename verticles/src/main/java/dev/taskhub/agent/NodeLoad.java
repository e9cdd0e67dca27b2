package dev.taskhub.agent;

import dev.taskhub.node.Machine;

/**
 * Whether this machine may take one more task: its CPU use and available memory (MemAvailable) within the limits
 * {@code agent.maxCpuLoad} (percent, 0–100) and {@code agent.minFreeMemoryMb}. Unset limits always pass.
 */
final class NodeLoad {
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
      double cpu = Machine.cpuPercent();
      if (cpu > maxCpuPercent) {
        return String.format("CPU at %.0f%%, above agent.maxCpuLoad %.0f%%", cpu, maxCpuPercent);
      }
    }
    if (minFreeMemoryMb != null) {
      double free = Machine.freeMemoryMb();
      if (free < minFreeMemoryMb) {
        return String.format("%.0f MB available, below agent.minFreeMemoryMb %.0f", free, minFreeMemoryMb);
      }
    }
    return null;
  }
}
