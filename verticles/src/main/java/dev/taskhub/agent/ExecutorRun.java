package dev.taskhub.agent;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.protocol.BoundedLineReader;
import dev.taskhub.protocol.ExecutorLine;
import dev.taskhub.protocol.LineParser;
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
 * One attempt of one task: the executor process, its working directory and what its output said so far.
 * Two reader threads (stdout, stderr) parse lines as they come and fold them into a small state that the agent
 * drains a few times a second, so a chatty executor costs the event loop nothing and memory stays bounded:
 * lines are cut at {@code maxLineChars}, undrained log is capped, result data is capped.
 */
final class ExecutorRun {

  record Limits(int maxLineChars, int maxResultChars, int maxPendingLogChars) {
  }

  /** Progress and log since the last drain; null fields did not change. */
  record Snapshot(Double progress, String message, JsonObject details, String log) {
    boolean isEmpty() {
      return progress == null && message == null && details == null && log == null;
    }
  }

  /** What the run said when it ended. */
  record Outcome(int exitCode, String resultData, JsonObject error) {
  }

  private final Process process;
  private final Path workDir;
  private final Limits limits;
  private volatile long lastOutputNanos = System.nanoTime();
  private final CompletableFuture<Outcome> ended = new CompletableFuture<>();

  private final Object lock = new Object();
  // guarded by lock
  private Double progress;
  private String message;
  private JsonObject details;
  private boolean progressChanged;
  private final StringBuilder pendingLog = new StringBuilder();
  private long droppedLogChars;
  private final StringBuilder resultData = new StringBuilder();
  private boolean hasResult;
  private JsonObject error;

  private ExecutorRun(Process process, Path workDir, Limits limits) {
    this.process = process;
    this.workDir = workDir;
    this.limits = limits;
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
      synchronized (lock) {
        ended.complete(new Outcome(process.exitValue(), hasResult ? resultData.toString() : null, error));
      }
    });
  }

  private Thread reader(String name, InputStream in, boolean stdout) {
    Thread thread = new Thread(() -> {
      try (BoundedLineReader lines = new BoundedLineReader(in, limits.maxLineChars())) {
        String line;
        while ((line = lines.readLine()) != null) {
          lastOutputNanos = System.nanoTime();
          String shown = lines.lastLineWasCut() ? line + " …[line cut]" : line;
          if (stdout) {
            accept(LineParser.parse(line), shown);
          } else {
            synchronized (lock) {
              appendLog(shown);
            }
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

  private void accept(ExecutorLine line, String shown) {
    synchronized (lock) {
      if (line instanceof ExecutorLine.Progress p) {
        if (p.percent() != null) {
          progress = p.percent();
        } else if (p.message() != null) {
          message = p.message();
        } else {
          structured(p.structuredJson());
        }
        progressChanged = true;
      } else if (line instanceof ExecutorLine.StartSubtask s) {
        JsonObject subtask = object(s.json());
        details = (details == null ? new JsonObject() : details.copy()).put("subtask", subtask);
        if (subtask.getValue("t") instanceof String title) {
          message = title;
        }
        progressChanged = true;
        appendLog(shown);
      } else if (line instanceof ExecutorLine.FinishSubtask) {
        if (details != null) {
          details = details.copy();
          details.remove("subtask");
        }
        progressChanged = true;
        appendLog(shown);
      } else if (line instanceof ExecutorLine.ResultData r) {
        if (resultData.length() < limits.maxResultChars()) {
          if (hasResult) {
            resultData.append('\n');
          }
          resultData.append(r.text(), 0, Math.min(r.text().length(), limits.maxResultChars() - resultData.length()));
        }
        hasResult = true;
      } else if (line instanceof ExecutorLine.Error e && error == null) {
        error = e.looksLikeJsonObject() ? object(e.text()) : new JsonObject().put("message", e.text());
      } else {
        appendLog(shown); // log lines, and errors after the first (the first is the task's)
      }
    }
  }

  /** The structured form {"op","opm","p","pm","subtaskId","d"}: overall op of opm sets the percent. */
  private void structured(String json) {
    JsonObject s = object(json);
    Number op = number(s, "op");
    Number opm = number(s, "opm");
    if (op != null && opm != null && opm.doubleValue() > 0) {
      progress = Math.max(0, Math.min(100, 100.0 * op.doubleValue() / opm.doubleValue()));
    }
    if (s.getValue("d") instanceof String d) {
      message = d;
    }
    details = (details == null ? new JsonObject() : details.copy()).put("structured", s);
  }

  private static Number number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n : null;
  }

  private static JsonObject object(String json) {
    try {
      return new JsonObject(json);
    } catch (RuntimeException e) {
      return new JsonObject().put("message", json);
    }
  }

  private void appendLog(String line) {
    if (pendingLog.length() + line.length() + 1 > limits.maxPendingLogChars()) {
      droppedLogChars += line.length() + 1; // the hub keeps only a tail anyway; say what was lost
      return;
    }
    pendingLog.append(line).append('\n');
  }

  /** Whether anything changed since the last {@link #drain}. */
  boolean hasNews() {
    synchronized (lock) {
      return progressChanged || pendingLog.length() > 0 || droppedLogChars > 0;
    }
  }

  /** Takes what changed since the last call. */
  Snapshot drain() {
    synchronized (lock) {
      String log = null;
      if (droppedLogChars > 0) {
        pendingLog.append("[taskhub] ").append(droppedLogChars).append(" characters of log dropped: the executor wrote faster than they could be stored\n");
        droppedLogChars = 0;
      }
      if (pendingLog.length() > 0) {
        log = pendingLog.toString();
        pendingLog.setLength(0);
      }
      Snapshot s = progressChanged ? new Snapshot(progress, message, details, log) : new Snapshot(null, null, null, log);
      progressChanged = false;
      return s;
    }
  }

  void noteInLog(String line) {
    synchronized (lock) {
      appendLog("[taskhub] " + line);
    }
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
