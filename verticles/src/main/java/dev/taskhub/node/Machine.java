package dev.taskhub.node;

import java.lang.management.ManagementFactory;

/** This machine's CPU use and memory, as the JVM sees them (cheap reads of /proc; fine on an event loop). */
public final class Machine {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Machine() {
  }

  /** Recent CPU use of the whole machine, 0–100. */
  public static double cpuPercent() {
    double load = OS.getCpuLoad();
    return load < 0 ? 0 : Math.round(load * 1000) / 10.0;
  }

  public static long freeMemoryMb() {
    return OS.getFreeMemorySize() / (1024 * 1024);
  }

  public static long totalMemoryMb() {
    return OS.getTotalMemorySize() / (1024 * 1024);
  }
}
