package dev.taskhub.agent;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.protocol.LineSplitter;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The executor process of one attempt: its working directory and clean environment, its output split into lines
 * (cut at {@code maxLineChars}) and folded into an {@link ExecutorOutput}, its kill and its clean-up. The process
 * itself is the {@link ExecutorLauncher}'s: this class hears from it on the launcher's thread, so a chatty executor
 * costs the event loop nothing. Every byte counts as a sign of life, a line or not (a progress bar drawn with
 * {@code \r}, a dot a second).
 */
final class ExecutorRun implements ExecutorLauncher.Listener {
  private static final int SIGXCPU = 24; // Linux, x86 and arm alike

  record Limits(int maxLineChars, int maxResultChars, int maxPendingLogChars) {
  }

  /** What the run said when it ended; {@code fenced}: killed because this JVM stopped answering. */
  record Outcome(int exitCode, String resultData, JsonObject error, boolean fenced) {
  }

  private final WorkDir workDir;
  private final ExecutorOutput output;
  private final LineSplitter stdout;
  private final LineSplitter stderr;
  private final CompletableFuture<ExecutorRun> started = new CompletableFuture<>();
  private final CompletableFuture<Outcome> ended = new CompletableFuture<>();
  private volatile long lastOutputNanos = System.nanoTime();
  private volatile String failure;
  private volatile Long cpuSeconds;           // limits.cpuSeconds, to say why a SIGXCPU came
  private long pid;                           // guarded by this, with launched: the run is started once both are known
  private ExecutorLauncher.Launched launched;

  private ExecutorRun(WorkDir workDir, Limits limits) {
    this.workDir = workDir;
    this.output = new ExecutorOutput(limits.maxResultChars(), limits.maxPendingLogChars());
    this.stdout = new LineSplitter(limits.maxLineChars(), (line, cut) -> output.stdout(line, shown(line, cut)));
    this.stderr = new LineSplitter(limits.maxLineChars(), (line, cut) -> output.stderr(shown(line, cut)));
  }

  /**
   * Starts the executor in a fresh working directory with a clean environment, as its user and under its limits.
   * Blocking (file system, a pipe write or a fork): call it off the event loop. The future completes once the process
   * runs, or fails if it could not start. {@code access}: the API URL and token executors are told.
   */
  static CompletableFuture<ExecutorRun> start(ExecutorLauncher launcher, ExecutorCatalog.ExecutorCommand executor,
                                              Claim claim, WorkDir work, NodeSettings.ExecutorAccess access,
                                              Limits limits) throws IOException {
    Task task = claim.task();
    ExecutorIsolation isolation = isolation(executor);
    work.empty(); // taken back from a previous attempt's user; a process of it may have written after it ended
    Path workDir = work.path();
    Path dataFile = work.writeData(task.data().getBytes(StandardCharsets.UTF_8));
    if (isolation.switchesUser()) {
      work.lend(isolation, dataFile); // the folder itself is lent by the launcher, as the process starts
    }

    List<String> command = new ArrayList<>(executor.command());
    if (executor.classicArguments()) {
      command.add("DATA:" + task.data());
    }
    Map<String, String> env = new LinkedHashMap<>(); // nothing of the agent's environment, secrets included
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    env.put("HOME", workDir.toString());
    env.put("TMPDIR", workDir.toString());
    env.put("TASKHUB_TASK_ID", Long.toString(task.id()));
    env.put("TASKHUB_TASK_TYPE", task.type());
    env.put("TASKHUB_ATTEMPT", Integer.toString(task.attempts()));
    env.put("TASKHUB_FENCE", Long.toString(claim.fence()));
    env.put("TASKHUB_DATA_FILE", dataFile.toString());
    env.put("TASKHUB_HUB_URL", access.hubUrl() == null ? "" : access.hubUrl());
    if (access.token() != null) {
      env.put("TASKHUB_TOKEN", access.token()); // a read or submit token of the executors' own (executor.token)
    }

    ExecutorRun run = new ExecutorRun(work, limits);
    run.cpuSeconds = isolation.cpuSeconds();
    try {
      run.launched(launcher.launch(new ExecutorLauncher.LaunchRequest(command, env, workDir, isolation), run));
    } catch (IOException | RuntimeException e) {
      run.cleanUp();
      throw e;
    }
    return run.started;
  }

  /**
   * The executor's confinement as this JVM can give it. Running as another user needs root (or its capabilities):
   * without them the attempt fails here, saying so, rather than in the launcher with a bare EPERM.
   */
  private static ExecutorIsolation isolation(ExecutorCatalog.ExecutorCommand executor) throws IOException {
    ExecutorIsolation isolation = executor.isolation();
    if (!isolation.switchesUser()) {
      return isolation;
    }
    if (Privileges.OF_THIS_JVM.is(isolation.uid(), isolation.gid())) {
      return isolation.withoutUser(); // the node already runs as that user
    }
    String why = Privileges.OF_THIS_JVM.whyNotOtherUsers();
    if (why != null) {
      throw new IOException("executor '" + executor.type() + "' has user=" + isolation.user()
          + " in its executor.properties, but " + why);
    }
    return isolation;
  }

  private static String shown(String line, boolean cut) {
    return cut ? line + " …[line cut]" : line;
  }

  // ------------------------------------------------------------------ what the launcher says

  @Override
  public synchronized void started(long pid) {
    this.pid = pid;
    if (launched != null) {
      started.complete(this);
    }
  }

  /** The launcher may say "started" before it returned the handle a kill needs: the run starts once it has both. */
  private synchronized void launched(ExecutorLauncher.Launched launched) {
    this.launched = launched;
    if (pid > 0) {
      started.complete(this);
    }
  }

  @Override
  public void output(boolean toStdout, byte[] bytes, int offset, int length) {
    lastOutputNanos = System.nanoTime();
    (toStdout ? stdout : stderr).push(bytes, offset, length);
  }

  @Override
  public void failed(String reason) {
    failure = reason;
  }

  @Override
  public void ended(int exitCode, int signal, boolean fenced) {
    stdout.finish();
    stderr.finish();
    synchronized (this) {
      if (pid == 0) { // it never ran
        cleanUp();
        started.completeExceptionally(new IOException(failure != null ? failure : "the executor did not start"));
      }
    }
    if (fenced) {
      output.note("this JVM stopped answering, so its executors were killed: the task runs again elsewhere");
    }
    // A signal shows as 128 + its number, as a shell and the JVM show it.
    int code = exitCode >= 0 ? exitCode : 128 + signal;
    if (code == 128 + SIGXCPU && cpuSeconds != null) {
      output.note("killed by SIGXCPU: it used up its limits.cpuSeconds (" + cpuSeconds + " s of CPU time)");
    }
    ended.complete(output.outcome(code, fenced));
  }

  // ------------------------------------------------------------------ what the attempt asks

  /** What the executor said so far: the agent drains it. */
  ExecutorOutput output() {
    return output;
  }

  long silentNanos() {
    return System.nanoTime() - lastOutputNanos;
  }

  synchronized long pid() {
    return pid;
  }

  CompletableFuture<Outcome> ended() {
    return ended;
  }

  /** Kills the executor and everything it started. May block briefly: call it off the event loop. */
  void kill() {
    ExecutorLauncher.Launched handle;
    synchronized (this) {
      handle = launched;
    }
    handle.kill();
  }

  /** Empties the working directory. Blocking. */
  void cleanUp() {
    workDir.empty();
  }
}
