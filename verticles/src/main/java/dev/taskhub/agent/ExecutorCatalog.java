package dev.taskhub.agent;

import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The executors this node can run: every folder {@code <executors.dir>/<Type>/} holding an executable
 * {@code <Type>} or {@code run}, or a {@code <Type>.jar} started with this JVM's own {@code java -jar}. A file
 * {@code executor.properties} with {@code arguments=classic} asks for the classic {@code DATA:<json>} argument, and
 * {@code user=} and {@code limits.*} confine the executor ({@link ExecutorIsolation}). An executor whose properties
 * cannot be honoured (an unknown user, a bad limit) is left out, with one log line, until they can.
 * Scanning reads the file system and asks {@code getent}: call {@link #scan} on a worker thread.
 */
final class ExecutorCatalog {
  private static final Logger log = LoggerFactory.getLogger(ExecutorCatalog.class);
  /** Problems already logged, by folder: every agent scans every 10 s, and one line per problem is enough. */
  private static final Map<Path, String> REPORTED = new ConcurrentHashMap<>();

  /** Linux's limit on one argument, its terminating NUL included (MAX_ARG_STRLEN, 32 pages): execve refuses more. */
  static final int MAX_ARGUMENT_BYTES = 32 * 4096;

  /** How to start the executor of one type, and under what confinement. */
  record ExecutorCommand(String type, List<String> command, boolean classicArguments, ExecutorIsolation isolation) {
    ExecutorCommand(String type, List<String> command, boolean classicArguments) {
      this(type, command, classicArguments, ExecutorIsolation.NONE);
    }

    /**
     * Why this executor can never start for {@code task}, or null. A classic executor takes the data as one argument,
     * {@code DATA:<json>}; over the kernel's limit for one argument the start fails with E2BIG, on every node and
     * every attempt. The hub cannot refuse such a registration (it does not know the executors, and a type may be
     * classic on one node only), so the agent that claimed it refuses it at once, with a reason a user can act on.
     */
    String refusal(Task task) {
      if (!classicArguments) {
        return null;
      }
      long bytes = "DATA:".length() + task.data().getBytes(StandardCharsets.UTF_8).length + 1L;
      if (bytes <= MAX_ARGUMENT_BYTES) {
        return null;
      }
      return "the task's data (" + (bytes - 6) + " bytes of JSON) is too large for the classic DATA: argument of the "
          + "executor '" + type + "' (arguments=classic in its executor.properties): the kernel refuses an argument over "
          + MAX_ARGUMENT_BYTES + " bytes. Let the executor read the file $TASKHUB_DATA_FILE instead, or send less data";
    }
  }

  private final Path dir;
  private volatile Map<String, ExecutorCommand> executors = Map.of();

  ExecutorCatalog(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Re-reads the folder; blocking. */
  Map<String, ExecutorCommand> scan() {
    Map<String, ExecutorCommand> found = new TreeMap<>();
    UserAccounts accounts = new UserAccounts(); // each user is looked up once per scan
    if (Files.isDirectory(dir)) {
      try (Stream<Path> folders = Files.list(dir)) {
        folders.filter(Files::isDirectory).forEach(folder -> {
          String type = folder.getFileName().toString();
          if (TaskSpec.TYPE.matcher(type).matches()) {
            ExecutorCommand command = command(type, folder, accounts);
            if (command != null) {
              found.put(type, command);
            }
          }
        });
      } catch (IOException e) {
        throw new IllegalStateException("cannot read executors.dir " + dir + ": " + e.getMessage(), e);
      }
    }
    executors = Map.copyOf(found);
    return executors;
  }

  ExecutorCommand find(String type) {
    return executors.get(type);
  }

  List<String> types() {
    return new ArrayList<>(executors.keySet());
  }

  private static ExecutorCommand command(String type, Path folder, UserAccounts accounts) {
    Properties props = properties(folder);
    List<String> command = executable(type, folder);
    if (command == null) {
      return null;
    }
    ExecutorIsolation isolation;
    try {
      isolation = ExecutorIsolation.read(props, accounts::find);
    } catch (IllegalArgumentException e) {
      String problem = e.getMessage();
      if (!problem.equals(REPORTED.put(folder, problem))) {
        log.error("executor '{}' is unavailable on this node: {} ({})", type, problem, folder.resolve("executor.properties"));
      }
      return null;
    }
    if (REPORTED.remove(folder) != null) {
      log.info("executor '{}' is available again ({})", type, isolation.describe());
    }
    return new ExecutorCommand(type, command, "classic".equalsIgnoreCase(props.getProperty("arguments", "").trim()), isolation);
  }

  private static List<String> executable(String type, Path folder) {
    for (Path candidate : List.of(folder.resolve(type), folder.resolve("run"))) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return List.of(candidate.toAbsolutePath().toString());
      }
    }
    Path jar = folder.resolve(type + ".jar");
    if (Files.isRegularFile(jar)) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      return List.of(java, "-jar", jar.toAbsolutePath().toString());
    }
    return null;
  }

  /** The folder's executor.properties; empty when there is none or it cannot be read. */
  private static Properties properties(Path folder) {
    Properties props = new Properties();
    Path file = folder.resolve("executor.properties");
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        props.load(in);
      } catch (IOException e) {
        log.warn("cannot read {}: {}", file, e.toString());
      }
    }
    return props;
  }
}
