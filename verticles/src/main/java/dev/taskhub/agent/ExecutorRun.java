package dev.taskhub.agent;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.protocol.BoundedLineReader;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The executor process of one attempt: its start in a fresh working directory, the two threads that read its
 * stdout and stderr into an {@link ExecutorOutput}, its kill and the clean-up. The readers cut lines at
 * {@code maxLineChars}, so a chatty executor costs the event loop nothing; the hazard is a child that outlives the
 * executor while holding its pipes, which would keep the attempt open forever: it is killed with the executor's group.
 */
final class ExecutorRun {

  record Limits(int maxLineChars, int maxResultChars, int maxPendingLogChars) {
  }

  /** What the run said when it ended. */
  record Outcome(int exitCode, String resultData, JsonObject error) {
  }

  private final Process process;
  private final Path workDir;
  private final int maxLineChars;
  private final ExecutorOutput output;
  private volatile long lastOutputNanos = System.nanoTime();
  private final CompletableFuture<Outcome> ended = new CompletableFuture<>();

  private ExecutorRun(Process process, Path workDir, Limits limits) {
    this.process = process;
    this.workDir = workDir;
    this.maxLineChars = limits.maxLineChars();
    this.output = new ExecutorOutput(limits.maxResultChars(), limits.maxPendingLogChars());
  }

  /**
   * Starts the executor in a fresh working directory with a clean environment. Blocking; call it on the agent's
   * launcher thread, which lives as long as the agent (the executor's parent-death signal is tied to it).
   */
  static ExecutorRun start(ExecutorCatalog.ExecutorCommand executor, Claim claim, Path workRoot, String hubUrl,
                           Limits limits) throws IOException {
    Task task = claim.task();
    Files.createDirectories(workRoot);
    Path workDir = Files.createTempDirectory(workRoot, "task-" + task.id() + "-" + task.attempts() + "-");
    Path dataFile = workDir.resolve("task-data.json");
    Files.writeString(dataFile, task.data(), StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>(executor.command());
    if (executor.classicArguments()) {
      command.add("DATA:" + task.data());
    }
    ProcessBuilder builder = new ProcessBuilder(ProcessTree.wrap(command)).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear(); // executors see nothing of the agent's environment, secrets included
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    env.put("HOME", workDir.toString());
    env.put("TMPDIR", workDir.toString());
    env.put("TASKHUB_TASK_ID", Long.toString(task.id()));
    env.put("TASKHUB_TASK_TYPE", task.type());
    env.put("TASKHUB_ATTEMPT", Integer.toString(task.attempts()));
    env.put("TASKHUB_DATA_FILE", dataFile.toString());
    env.put("TASKHUB_HUB_URL", hubUrl == null ? "" : hubUrl);

    ExecutorRun run;
    try {
      run = new ExecutorRun(builder.start(), workDir, limits);
    } catch (IOException e) {
      deleteQuietly(workDir);
      throw e;
    }
    if (ProcessTree.OWN_GROUP) {
      OrphanReaper.watch(run.process.pid());
    }
    run.readOutput(task.id());
    return run;
  }

  private void readOutput(long taskId) throws IOException {
    process.getOutputStream().close(); // executors read nothing from us
    Thread out = reader("executor-" + taskId + "-stdout", process.getInputStream(), true);
    Thread err = reader("executor-" + taskId + "-stderr", process.getErrorStream(), false);
    process.onExit().thenRun(() -> {
      try {
        // The pipes close when their last holder exits. If they stay open, a child of the executor outlived it
        // while holding them: the attempt is over, so that child is killed with the executor's group.
        out.join(1000);
        err.join(100);
        if (out.isAlive() || err.isAlive()) {
          ProcessTree.killGroup(process.pid());
        }
        out.join();
        err.join();
        if (ProcessTree.OWN_GROUP) {
          OrphanReaper.forget(process.pid());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ended.complete(output.outcome(process.exitValue()));
    });
  }

  private Thread reader(String name, InputStream in, boolean stdout) {
    Thread thread = new Thread(() -> {
      try (BoundedLineReader lines = new BoundedLineReader(in, maxLineChars)) {
        String line;
        while ((line = lines.readLine()) != null) {
          lastOutputNanos = System.nanoTime();
          String shown = lines.lastLineWasCut() ? line + " …[line cut]" : line;
          if (stdout) {
            output.stdout(line, shown);
          } else {
            output.stderr(shown);
          }
        }
      } catch (IOException e) {
        // the stream closed under us: the process was killed
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** What the executor said so far: the agent drains it. */
  ExecutorOutput output() {
    return output;
  }

  long silentNanos() {
    return System.nanoTime() - lastOutputNanos;
  }

  long pid() {
    return process.pid();
  }

  CompletableFuture<Outcome> ended() {
    return ended;
  }

  /** Kills the executor and everything it started. Blocking (briefly): call it off the event loop. */
  void kill() {
    ProcessTree.kill(process);
  }

  /** Removes the working directory. Blocking. */
  void cleanUp() {
    deleteQuietly(workDir);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a leftover folder under data.dir/work is harmless
    }
  }
}
