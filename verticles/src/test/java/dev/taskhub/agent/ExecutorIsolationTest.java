package dev.taskhub.agent;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.testing.SecondUser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An executor confined by its executor.properties, started by each launcher: as another user (the test JVM plays the
 * agent's, and runs as root in CI: see {@link SecondUser}), and under rlimits, which need no privilege.
 */
@Timeout(60)
class ExecutorIsolationTest {
  private static final long SELF = ProcessHandle.current().pid();

  @TempDir
  Path work;

  static List<String> launchers() {
    return ExecutorRunTest.launchers();
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void anExecutorRunsAsItsUserWithOnlyItsGroupAndCannotReadTheAgentsEnvironment(String kind) throws Exception {
    SecondUser user = SecondUser.ensure();
    SecondUser.passable(work, work); // @TempDir is 700: the README's modes, 711 on the way to data.dir/work
    ExecutorIsolation isolation = new ExecutorIsolation(user.name(), user.uid(), user.gid(), 77L, null, null);
    WorkDir dir = WorkDir.of(work.resolve("work"), "agent-1");

    ExecutorRun run = start(kind, isolation, dir, """
        echo "uid=$(id -u) groups=$(id -G)"
        echo "nofile=$(ulimit -n)"
        if cat /proc/%d/environ > /dev/null 2>&1; then echo environ=READ; else echo environ=DENIED; fi
        if ls '%s' > /dev/null 2>&1; then echo bin=LISTED; else echo bin=DENIED; fi
        echo written > out.txt && echo "wrote=$(cat out.txt)"
        echo "data=$(cat "$TASKHUB_DATA_FILE")"
        echo "cwd=$(stat -c %%a:%%u .)"
        """.formatted(SELF, work.resolve("bin")));
    ExecutorRun.Outcome outcome = run.ended().get(30, TimeUnit.SECONDS);
    String log = run.output().drain().log();

    assertThat(outcome.exitCode()).as(log).isZero();
    assertThat(log).contains("uid=" + user.uid() + " groups=" + user.gid() + "\n") // exactly its primary group
        .contains("nofile=77\n")
        .contains("environ=DENIED\n")
        .contains("wrote=written\n")
        .contains("data={\"pages\":3}\n")
        .contains("cwd=700:" + user.uid() + "\n");
    if (kind.equals("native")) {
      assertThat(log).contains("bin=DENIED\n");
    }
    run.cleanUp();
    assertThat(Files.getAttribute(dir.path(), "unix:uid")).as("the folder is the node's again").isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path()))).isEqualTo("rwx------");
    try (var left = Files.list(dir.path())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void anExecutorRunAsAnotherUserStillDiesWithItsShim() throws Exception {
    // The parent-death signal is cleared by a change of user: the spawner must set it after setuid, not before.
    assumeTrue(NativeSpawner.available(), "the native spawner is built where gcc is found");
    SecondUser user = SecondUser.ensure();
    SecondUser.passable(work, work);
    ExecutorIsolation isolation = new ExecutorIsolation(user.name(), user.uid(), user.gid(), null, null, null);
    ExecutorRun run = start("native", isolation, WorkDir.of(work.resolve("work"), "agent-1"), "echo \"pids $$ $PPID\"; exec sleep 60");
    await().until(() -> run.output().hasNews());
    String[] pids = run.output().drain().log().trim().split(" ");
    long executor = Long.parseLong(pids[1]);
    long shim = Long.parseLong(pids[2]);

    new ProcessBuilder("kill", "-KILL", Long.toString(shim)).start().waitFor();

    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(executor));
    run.ended().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void withoutAUserAnExecutorCanReadTheAgentsEnvironment(String kind) throws Exception {
    // What user= is for: the same user may read /proc/<agent>/environ, secrets included.
    ExecutorRun run = start(kind, ExecutorIsolation.NONE, WorkDir.of(work.resolve("work"), "agent-1"),
        "if cat /proc/" + SELF + "/environ > /dev/null 2>&1; then echo environ=READ; else echo environ=DENIED; fi");
    run.ended().get(30, TimeUnit.SECONDS);
    assertThat(run.output().drain().log()).contains("environ=READ\n");
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void aMemoryHungryExecutorFailsUnderLimitsMemoryMb(String kind) throws Exception {
    ExecutorIsolation isolation = new ExecutorIsolation(null, null, null, null, null, 64L);
    ExecutorRun run = start(kind, isolation, WorkDir.of(work.resolve("work"), "agent-1"),
        "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}");

    ExecutorRun.Outcome outcome = run.ended().get(30, TimeUnit.SECONDS);

    assertThat(outcome.exitCode()).isNotZero();
    assertThat(String.valueOf(run.output().drain().log())).doesNotContain("survived");
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void aSpinningExecutorIsStoppedByLimitsCpuSecondsAndTheLogSaysWhy(String kind) throws Exception {
    ExecutorIsolation isolation = new ExecutorIsolation(null, null, null, null, 1L, null);
    long started = System.nanoTime();
    ExecutorRun run = start(kind, isolation, WorkDir.of(work.resolve("work"), "agent-1"), "while :; do :; done");

    ExecutorRun.Outcome outcome = run.ended().get(30, TimeUnit.SECONDS);

    assertThat(outcome.exitCode()).isEqualTo(128 + 24);
    assertThat(run.output().drain().log()).contains("killed by SIGXCPU: it used up its limits.cpuSeconds (1 s of CPU time)");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(15);
  }

  @Test
  void aLimitTheKernelRefusesStopsTheStartAndSaysWhichStepFailed() throws Exception {
    // Above fs.nr_open even root may not go: the executor must not run without the limit it was given.
    assumeTrue(NativeSpawner.available(), "the native spawner is built where gcc is found");
    ExecutorIsolation isolation = new ExecutorIsolation(null, null, null, (long) Integer.MAX_VALUE, null, null);
    var started = ExecutorRun.start(launcher("native"), command(isolation, "echo ran"), claim(),
        WorkDir.of(work.resolve("work"), "agent-1"), ExecutorRunTest.NO_ACCESS, limits());

    assertThatThrownBy(() -> started.get(30, TimeUnit.SECONDS)).hasMessageContaining("setrlimit (limits.*): Operation not permitted");
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void theTokenAndHubUrlAreTheExecutorsOwn(String kind) throws Exception {
    var access = new NodeSettings.ExecutorAccess("http://10.0.0.1:8080", "submit-token-for-executors");
    ExecutorRun run = ExecutorRun.start(launcher(kind), command(ExecutorIsolation.NONE,
            "echo \"url=$TASKHUB_HUB_URL token=$TASKHUB_TOKEN\""), claim(), WorkDir.of(work.resolve("work"), "agent-1"),
        access, limits()).get(30, TimeUnit.SECONDS);
    run.ended().get(30, TimeUnit.SECONDS);
    assertThat(run.output().drain().log()).contains("url=http://10.0.0.1:8080 token=submit-token-for-executors\n");
  }

  private static boolean alive(long pid) {
    try { // a zombie is dead
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private ExecutorRun start(String kind, ExecutorIsolation isolation, WorkDir dir, String script) throws Exception {
    return ExecutorRun.start(launcher(kind), command(isolation, script), claim(), dir, ExecutorRunTest.NO_ACCESS, limits())
        .get(30, TimeUnit.SECONDS);
  }

  private ExecutorLauncher launcher(String kind) {
    return kind.equals("java") ? JavaProcesses.shared() : NativeSpawner.shared(work.resolve("bin"), 60_000);
  }

  private static ExecutorCatalog.ExecutorCommand command(ExecutorIsolation isolation, String script) {
    return new ExecutorCatalog.ExecutorCommand("script", List.of("/bin/sh", "-c", script), false, isolation);
  }

  private static Claim claim() {
    Task task = Task.fromJson(new JsonObject().put("id", 7).put("type", "script").put("state", "RUNNING")
        .put("priority", "Normal").put("attempts", 1).put("data", new JsonObject().put("pages", 3)));
    return new Claim(task, "token", 42);
  }

  private static ExecutorRun.Limits limits() {
    return new ExecutorRun.Limits(1000, 1000, 10_000);
  }
}
