package dev.taskhub.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The task an executor was started for, read from what the agent hands over (environment, data file, arguments), so
 * that an executor never parses its own start-up. {@code data} is the task's raw JSON text and {@code hubUrl} may be
 * null when the agent gives none.
 */
public record TaskContext(long taskId, String type, int attempt, String data, String hubUrl, Path workDir) {

  static final String TASK_ID = "TASKHUB_TASK_ID";
  static final String TASK_TYPE = "TASKHUB_TASK_TYPE";
  static final String ATTEMPT = "TASKHUB_ATTEMPT";
  static final String DATA_FILE = "TASKHUB_DATA_FILE";
  static final String HUB_URL = "TASKHUB_HUB_URL";
  static final String DATA_ARGUMENT = "DATA:";

  public TaskContext {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(workDir, "workDir");
  }

  /** The task of this process, from {@link System#getenv()} and the command-line arguments. */
  public static TaskContext fromEnvironment(String[] args) {
    return fromEnvironment(System.getenv(), args);
  }

  /**
   * The task described by {@code env} and {@code args}: the data comes from the file named by TASKHUB_DATA_FILE, else
   * from a {@code DATA:<json>} argument, else is {@code {}}; TASKHUB_ATTEMPT defaults to 1.
   *
   * @throws IllegalStateException when TASKHUB_TASK_ID or TASKHUB_TASK_TYPE is missing or malformed, or the data
   *     file cannot be read
   */
  public static TaskContext fromEnvironment(Map<String, String> env, String[] args) {
    long taskId = parseNumber(TASK_ID, required(env, TASK_ID), Long.MIN_VALUE, Long.MAX_VALUE);
    String type = required(env, TASK_TYPE);
    String attemptText = optional(env, ATTEMPT);
    int attempt = attemptText == null ? 1 : (int) parseNumber(ATTEMPT, attemptText, 1, Integer.MAX_VALUE);
    Path workDir = Path.of("").toAbsolutePath();
    return new TaskContext(taskId, type, attempt, data(env, args), optional(env, HUB_URL), workDir);
  }

  private static String data(Map<String, String> env, String[] args) {
    String dataFile = optional(env, DATA_FILE);
    if (dataFile != null) {
      try {
        String text = Files.readString(Path.of(dataFile), StandardCharsets.UTF_8);
        return text.isBlank() ? "{}" : text;
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(DATA_FILE + "=" + dataFile + " cannot be read (" + e
            + "); the executor cannot see its task's data and stops", e);
      }
    }
    for (String arg : args == null ? new String[0] : args) {
      if (arg != null && arg.startsWith(DATA_ARGUMENT)) {
        return arg.substring(DATA_ARGUMENT.length());
      }
    }
    return "{}";
  }

  private static String required(Map<String, String> env, String name) {
    String value = optional(env, name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: this program is a Taskhub executor, started by an agent "
          + "that sets TASKHUB_TASK_ID and TASKHUB_TASK_TYPE; set them by hand to run it outside Taskhub");
    }
    return value;
  }

  private static String optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static long parseNumber(String name, String text, long min, long max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + "=" + text + " is not a whole number", e);
    }
    if (value < min || value > max) {
      throw new IllegalStateException(name + "=" + text + " is out of range " + min + ".." + max);
    }
    return value;
  }
}
