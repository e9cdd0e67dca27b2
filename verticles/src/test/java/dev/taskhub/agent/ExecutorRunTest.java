package dev.taskhub.agent;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.config.NodeSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/** A real executor process, started by each launcher: its output, its exit, its kill, what it leaves behind. */
@Timeout(60)
class ExecutorRunTest {
  static final NodeSettings.ExecutorAccess NO_ACCESS = new NodeSettings.ExecutorAccess(null, null);

  @TempDir
  Path work;

  static List<String> launchers() {
    List<String> kinds = new ArrayList<>(List.of("java"));
    if (NativeSpawner.available()) {
      kinds.add("native");
    }
    return kinds;
  }

  private ExecutorLauncher launcher(String kind) throws Exception {
    return kind.equals("java") ? JavaProcesses.shared() : NativeSpawner.shared(work.resolve("bin"), 60_000);
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void aLongLineIsCutAndTheOutcomeCarriesExitCodeAndResult(String kind) throws Exception {
    ExecutorRun run = start(kind, "printf '%0200d\\n' 0; echo 'to stderr' >&2; echo 'ResultData: done'; exit 3");

    ExecutorRun.Outcome outcome = run.ended().get(30, TimeUnit.SECONDS);

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.resultData()).isEqualTo("done");
    String log = run.output().drain().log();
    assertThat(log).contains("0".repeat(100) + " …[line cut]\n").contains("to stderr\n");
    run.cleanUp();
    Path folder = work.resolve("work").resolve("agent-agent-1");
    try (var left = Files.list(folder)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("the agent's folder is empty for the next attempt, "
          + "but for the emptied data file").containsExactly(WorkDir.DATA_FILE);
    }
    assertThat(Files.size(folder.resolve(WorkDir.DATA_FILE))).isZero();
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void aKillEndsTheExecutorAndWhatItStarted(String kind) throws Exception {
    Path pid = work.resolve("child.pid");
    ExecutorRun run = start(kind, "sleep 60 & echo $! > '" + pid + "'; echo started; wait");
    await().until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
    long child = Long.parseLong(Files.readString(pid).trim());

    run.kill();

    assertThat(run.ended().get(30, TimeUnit.SECONDS).exitCode()).isNotZero();
    await().until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void aProgressBarDrawnWithCarriageReturnsIsReadAsItIsDrawn(String kind) throws Exception {
    ExecutorRun run = start(kind, "printf 'Progress: 10%%\\r'; sleep 0.3; printf 'Progress: 20%%\\r'; sleep 60");
    await().until(() -> run.output().hasNews() && Double.valueOf(20).equals(run.output().drain().progress()));
    run.kill();
    run.ended().get(30, TimeUnit.SECONDS);
  }

  @Test
  void anExecutorTheSpawnerCannotStartSaysWhy() throws Exception {
    assumeTrue(NativeSpawner.available(), "the native spawner is built where gcc is found");
    var started = ExecutorRun.start(launcher("native"), new ExecutorCatalog.ExecutorCommand("gone",
        List.of(work.resolve("no-such-executor").toString()), false), claim(), WorkDir.of(work.resolve("work"), "agent-1"), NO_ACCESS, limits());

    assertThatThrownBy(() -> started.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("No such file or directory");
  }

  @Test
  void withTheSpawnerNothingAnExecutorStartedOutlivesItEvenInASessionOfItsOwn() throws Exception {
    assumeTrue(NativeSpawner.available(), "the native spawner is built where gcc is found");
    Path pid = work.resolve("daemon.pid");
    // A daemon: its own session, its stdio closed, its parent gone. A process-group kill cannot reach it.
    ExecutorRun run = start("native", "setsid sh -c 'exec >/dev/null 2>&1 </dev/null; echo $$ > \"" + pid
        + "\"; exec sleep 60' & while [ ! -s '" + pid + "' ]; do sleep 0.05; done; echo ResultData: started");

    ExecutorRun.Outcome outcome = run.ended().get(30, TimeUnit.SECONDS);

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.resultData()).isEqualTo("started");
    long daemon = Long.parseLong(Files.readString(pid).trim());
    assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).as("the daemon was killed").isFalse();
  }

  private ExecutorRun start(String kind, String script) throws Exception {
    ExecutorCatalog.ExecutorCommand command = new ExecutorCatalog.ExecutorCommand("script", List.of("/bin/sh", "-c", script), false);
    return ExecutorRun.start(launcher(kind), command, claim(), WorkDir.of(work.resolve("work"), "agent-1"), NO_ACCESS, limits()).get(30, TimeUnit.SECONDS);
  }

  private static Claim claim() {
    Task task = Task.fromJson(new JsonObject().put("id", 7).put("type", "script").put("state", "RUNNING")
        .put("priority", "Normal").put("attempts", 1).put("data", new JsonObject()));
    return new Claim(task, "token", 42);
  }

  private static ExecutorRun.Limits limits() {
    return new ExecutorRun.Limits(100, 1000, 10_000);
  }
}
