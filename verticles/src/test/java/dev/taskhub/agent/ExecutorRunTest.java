package dev.taskhub.agent;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real executor process: its output read into the bounded state, its exit, its kill and its clean-up. */
@Timeout(60)
class ExecutorRunTest {
  @TempDir
  Path work;

  @Test
  void aLongLineIsCutAndTheOutcomeCarriesExitCodeAndResult() throws Exception {
    ExecutorRun run = start("printf '%0200d\\n' 0; echo 'to stderr' >&2; echo 'ResultData: done'; exit 3");

    ExecutorRun.Outcome outcome = run.ended().get(30, TimeUnit.SECONDS);

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.resultData()).isEqualTo("done");
    String log = run.output().drain().log();
    assertThat(log).contains("0".repeat(100) + " …[line cut]\n").contains("to stderr\n");
    run.cleanUp();
    try (var left = Files.list(work.resolve("work"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aKillEndsTheExecutorAndWhatItStarted() throws Exception {
    Path pid = work.resolve("child.pid");
    ExecutorRun run = start("sleep 60 & echo $! > '" + pid + "'; echo started; wait");
    await().until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
    long child = Long.parseLong(Files.readString(pid).trim());

    run.kill();

    assertThat(run.ended().get(30, TimeUnit.SECONDS).exitCode()).isNotZero();
    await().until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  private ExecutorRun start(String script) throws Exception {
    Task task = Task.fromJson(new JsonObject().put("id", 7).put("type", "script").put("state", "RUNNING")
        .put("priority", "Normal").put("attempts", 1).put("data", new JsonObject()));
    ExecutorCatalog.ExecutorCommand command = new ExecutorCatalog.ExecutorCommand("script", List.of("/bin/sh", "-c", script), false);
    return ExecutorRun.start(command, new Claim(task, "token"), work.resolve("work"), "", new ExecutorRun.Limits(100, 1000, 10_000));
  }
}
