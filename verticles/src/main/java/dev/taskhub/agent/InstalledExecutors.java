package dev.taskhub.agent;

import java.nio.file.Path;
import java.util.List;

/** The task types a node's agents have an executor for, as they find them: for the node's heartbeat. */
public final class InstalledExecutors {
  private InstalledExecutors() {
  }

  /** Reads {@code executorsDir}; blocking. Empty when it does not exist or cannot be read. */
  public static List<String> types(Path executorsDir) {
    try {
      return List.copyOf(new ExecutorCatalog(executorsDir).scan().keySet());
    } catch (IllegalStateException e) {
      return List.of();
    }
  }
}
