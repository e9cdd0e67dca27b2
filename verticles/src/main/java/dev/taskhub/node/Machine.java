package dev.taskhub.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** This machine's CPU use and memory, as the JVM sees them (cheap reads of /proc; fine on an event loop). */
public final class Machine {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Pattern AVAILABLE = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB");

  private Machine() {
  }

  /** Recent CPU use of the whole machine, 0–100. */
  public static double cpuPercent() {
    double load = OS.getCpuLoad();
    return load < 0 ? 0 : Math.round(load * 1000) / 10.0;
  }

  /**
   * Memory a new process can have without swapping: Linux's MemAvailable, which counts the page cache and reclaimable
   * slabs the kernel gives back on demand. MemFree (what the JVM reports) leaves those out, so on a machine that has
   * read many files it looks nearly full when it is not. Where /proc/meminfo has no MemAvailable: the JVM's figure.
   */
  public static long freeMemoryMb() {
    try {
      Long available = availableMb(Files.readString(MEMINFO));
      if (available != null) {
        return available;
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or /proc is hidden: the JVM's figure below
    }
    return OS.getFreeMemorySize() / (1024 * 1024);
  }

  /** MemAvailable in MB from the text of /proc/meminfo; null when it has none. */
  static Long availableMb(String meminfo) {
    Matcher m = AVAILABLE.matcher(meminfo);
    return m.find() ? Long.parseLong(m.group(1)) / 1024 : null;
  }

  public static long totalMemoryMb() {
    return OS.getTotalMemorySize() / (1024 * 1024);
  }
}
