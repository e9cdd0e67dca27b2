package dev.taskhub.feature;

import dev.taskhub.launcher.Main;
import dev.taskhub.testing.Api;
import dev.taskhub.testing.Cli;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.Ports;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code taskhub} command, run as separate processes against a live node, as a user types it. */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
  TaskhubNode node;
  Api api;
  Cli cli;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("steps", """
            for i in 1 2 3 4; do echo "Progress: $((i * 20))%"; echo "Progress: step $i of 4"; echo "log line $i"; sleep 0.3; done
            echo "ResultData: $(cat "$TASKHUB_DATA_FILE")"
            """)
        .script("fails", "echo 'Progress: 30%'; echo 'ERROR: {\"type\":\"Broken\",\"message\":\"the disk is full\"}'; exit 3")
        .script("sleeps", "echo 'Progress: 1%'; sleep 60")
        .script("subtasks", """
            echo 'StartSubtask: {"id":"resize","t":"Resizing","d":"3 images"}'
            for i in 1 2 3; do echo "Progress: {\\"op\\":$i,\\"opm\\":4,\\"p\\":$i,\\"pm\\":3,\\"subtaskId\\":\\"resize\\",\\"d\\":\\"image $i\\"}"; sleep 0.4; done
            echo 'FinishSubtask: {"id":"resize"}'
            """);
    node = TaskhubNode.named("cli", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 2).start();
    api = node.api();
    cli = Cli.of(node);
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void submitWaitShowsTheProgressAndExitsZeroWhenTheTaskIsDone() throws Exception {
    Cli.Result r = cli.run("submit", "steps", "--data", "{\"file\": \"a.txt\"}", "--priority", "Important", "--wait");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("RUNNING 20% step 1 of 4").contains("RUNNING 80% step 4 of 4")
        .contains("(steps) DONE (exit code 0)").contains("{\"file\":\"a.txt\"}");
    assertThat(r.out().indexOf("20%")).isLessThan(r.out().indexOf("80%"));
    assertThat(r.out()).doesNotContain("\r"); // not a terminal: plain lines
  }

  @Test
  void submitWaitExitsOneWhenTheTaskEndsInError() throws Exception {
    Cli.Result r = cli.run("submit", "fails", "--wait");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("(fails) ERROR (exit code 3)").contains("Broken: the disk is full");
  }

  @Test
  void submitWaitExitsThreeWhenTheTaskIsCancelled() throws Exception {
    String tag = unique();
    Cli.Running waiting = cli.start("submit", "sleeps", "--tag", tag, "--wait");
    long[] id = new long[1];
    await().atMost(seconds(30)).until(() -> {
      var tasks = api.get("/api/tasks?state=RUNNING&tag=" + tag).json().getJsonArray("tasks");
      return !tasks.isEmpty() && (id[0] = tasks.getJsonObject(0).getLong("id")) > 0;
    });

    Cli.Result cancel = cli.run("cancel", Long.toString(id[0]));
    Cli.Result r = waiting.await();

    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("task " + id[0] + " (sleeps) CANCELLED");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).contains("(sleeps) CANCELLED").contains("cancelled on request");
  }

  @Test
  void inATerminalTheProgressBarIsRedrawnOnOneLine() throws Exception {
    Cli.Result r = cli.runInTerminal("submit", "steps", "--wait");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("\r").contains("[##########").contains("step 4 of 4").contains("(steps) DONE");
  }

  @Test
  void submitWithoutWaitPrintsTheTaskAndReadsDataFromAFile(@TempDir Path tmp) throws Exception {
    Path data = Files.writeString(tmp.resolve("data.json"), "{\"pages\": [1, 2]}");

    Cli.Result r = cli.run("submit", "idle", "--data-file", data.toString(), "-o", "json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonObject task = new JsonObject(r.out());
    assertThat(task.getString("state")).isEqualTo("READY");
    assertThat(api.task(task.getLong("id")).getJsonObject("data")).isEqualTo(new JsonObject("{\"pages\": [1, 2]}"));
  }

  @Test
  void listShowsATableForPeopleAndJsonForScripts() throws Exception {
    String tag = unique();
    long first = api.submit(new JsonObject().put("type", "idle").put("tag", tag)).getLong("id");
    long second = api.submit(new JsonObject().put("type", "idle").put("tag", tag).put("priority", "Important")).getLong("id");

    Cli.Result table = cli.run("list", "--tag", tag);
    Cli.Result json = cli.run("list", "--tag", tag, "--limit", "1", "--output", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    String[] lines = table.out().split("\n");
    assertThat(lines[0]).startsWith("ID").contains("STATE").contains("PRIORITY").contains("TYPE").contains("PROGRESS");
    assertThat(lines[1]).startsWith(second + " ").contains("READY").contains("Important").contains("idle");
    assertThat(lines[2]).startsWith(first + " ").contains("Normal");
    JsonObject page = new JsonObject(json.out());
    assertThat(page.getJsonArray("tasks")).hasSize(1);
    assertThat(page.getLong("next")).isEqualTo(second);
  }

  @Test
  void showAndLogsPrintATaskAndItsLog() throws Exception {
    long id = api.submit(new JsonObject().put("type", "steps")).getLong("id");
    Cli.Result follow = cli.run("logs", Long.toString(id), "-f"); // follows the log until the task ends
    Cli.Result show = cli.run("show", Long.toString(id));

    assertThat(follow.exitCode()).as(follow.toString()).isZero();
    assertThat(follow.out()).contains("log line 1\n").contains("log line 4\n");
    assertThat(follow.out().split("log line 1\n", -1)).as("no line printed twice").hasSize(2);
    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).startsWith("task " + id + " (steps) DONE").contains("priority    Normal")
        .contains("progress    100%").contains("exit code   0").contains("attempts    1 of 1");
    assertThat(cli.run("logs", Long.toString(id)).out()).isEqualTo(follow.out());
  }

  @Test
  void priorityCancelRetryAndDeleteChangeATask() throws Exception {
    String id = Long.toString(api.submit(new JsonObject().put("type", "idle")).getLong("id"));

    assertThat(cli.run("priority", id, "important").out()).contains("(idle) READY, priority Important");
    assertThat(cli.run("suspend", id).out()).contains("(idle) SUSPENDED");
    assertThat(cli.run("resume", id).out()).contains("(idle) READY");
    assertThat(cli.run("cancel", id).out()).contains("(idle) CANCELLED");
    assertThat(cli.run("retry", id).out()).contains("(idle) READY");
    assertThat(cli.run("delete", id).out()).contains("task " + id + " deleted");

    Cli.Result gone = cli.run("show", id);
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.err()).isEqualTo("taskhub: no task " + id + "\n");
  }

  @Test
  void aRefusalIsOneLineAndExitCodeTwo() throws Exception {
    long id = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    api.act(id, "cancel");

    Cli.Result r = cli.run("cancel", Long.toString(id));
    Cli.Result badData = cli.run("submit", "idle", "--data", "{\"a\": ");
    Cli.Result badType = cli.run("submit", "../etc");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("taskhub: task " + id + " is CANCELLED: only a task that is WAITING, SUSPENDED, READY or RUNNING can be cancelled\n");
    assertThat(badData.exitCode()).isEqualTo(2);
    assertThat(badData.err()).startsWith("taskhub: --data is not valid JSON: ").hasLineCount(1);
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.err()).startsWith("taskhub: invalid type '../etc'").hasLineCount(1);
  }

  @Test
  void anUnreachableServerIsOneLineAndExitCodeTwo() throws Exception {
    int closedPort = Ports.free();

    Cli.Result r = cli.run("list", "--server", "http://127.0.0.1:" + closedPort);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("taskhub: cannot reach the Taskhub server at http://127.0.0.1:" + closedPort
        + " (connection refused): is a node running there? Set --server or TASKHUB_SERVER\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void helpIsOneProcessAway() throws Exception {
    Cli.Result r = cli.run("submit", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: taskhub submit").contains("--wait").contains("--server").contains("--token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "submit", "list", "show", "logs", "cancel", "delete", "retry", "priority", "suspend", "resume"})
  void everyCommandHasHelp(String command) {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(new PrintWriter(out));

    int code = commandLine.execute(command, "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("Usage: taskhub " + command);
  }

  @Test
  void submitWaitShowsTheCurrentSubtaskAndItsOwnProgress() throws Exception {
    Cli.Result r = cli.run("submit", "subtasks", "--wait");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("RUNNING 25% image 1 [Resizing 1/3]").contains("RUNNING 75% image 3 [Resizing 3/3]")
        .contains("(subtasks) DONE");
  }

  @Test
  void submitTakesEveryFieldOfARegistration() throws Exception {
    String tag = unique();
    long first = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    long second = api.submit(new JsonObject().put("type", "idle")).getLong("id");

    Cli.Result r = cli.run("submit", "idle", "--title", "Monthly report", "--tag", tag, "--app", "billing", "--key", tag,
        "--delay", "3600", "--depends-on", first + "," + second, "--run-if", "always", "--timeout", "60",
        "--max-attempts", "3", "--finalize-url", "http://127.0.0.1:9/done", "-o", "json");
    Cli.Result again = cli.run("submit", "idle", "--key", tag, "-o", "json");
    Cli.Result at = cli.run("submit", "idle", "--run-at", "2030-01-31T12:00:00Z", "-o", "json");
    Cli.Result both = cli.run("submit", "idle", "--run-at", "2030-01-31T12:00:00Z", "--delay", "5");
    Cli.Result badTime = cli.run("submit", "idle", "--run-at", "tomorrow");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonObject task = api.task(new JsonObject(r.out()).getLong("id"));
    assertThat(task.getString("title")).isEqualTo("Monthly report");
    assertThat(task.getString("tag")).isEqualTo(tag);
    assertThat(task.getString("app")).isEqualTo("billing");
    assertThat(task.getString("key")).isEqualTo(tag);
    assertThat(java.time.Instant.parse(task.getString("runAt"))).isAfter(java.time.Instant.now().plusSeconds(3500));
    assertThat(task.getJsonArray("dependsOn").stream().map(n -> ((Number) n).longValue()).toList()).containsExactly(first, second);
    assertThat(task.getString("runIf")).isEqualTo("always");
    assertThat(task.getInteger("timeoutSeconds")).isEqualTo(60);
    assertThat(task.getInteger("maxAttempts")).isEqualTo(3);
    assertThat(task.getString("finalizeUrl")).isEqualTo("http://127.0.0.1:9/done");
    assertThat(new JsonObject(again.out()).getLong("id")).as("the key's live task").isEqualTo(task.getLong("id"));
    assertThat(new JsonObject(at.out()).getString("runAt")).isEqualTo("2030-01-31T12:00:00Z");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(badTime.exitCode()).isEqualTo(2);
    assertThat(badTime.err()).contains("'runAt' must be an ISO-8601 UTC timestamp");
  }

  @Test
  void listFiltersByApp() throws Exception {
    String app = unique();
    long mine = api.submit(new JsonObject().put("type", "idle").put("app", app)).getLong("id");
    api.submit(new JsonObject().put("type", "idle").put("app", "someone-else"));

    Cli.Result r = cli.run("list", "--app", app, "-o", "json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(new JsonObject(r.out()).getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getLong("id")).toList())
        .containsExactly(mine);
  }

  @Test
  void schedulesAreSetListedPausedResumedAndDeleted() throws Exception {
    String name = unique();
    Cli.Result set = cli.run("schedule", "set", name, "--cron", "0 30 2 * * *", "--timezone", "Europe/Budapest",
        "--type", "steps", "--data", "{\"format\": \"pdf\"}", "--tag", "nightly");
    Cli.Result table = cli.run("schedules");
    Cli.Result pause = cli.run("schedule", "pause", name);
    Cli.Result paused = cli.run("schedules");
    Cli.Result resume = cli.run("schedule", "resume", name);
    Cli.Result json = cli.run("schedules", "-o", "json");
    Cli.Result bad = cli.run("schedule", "set", name, "--cron", "0 0 * * 8", "--type", "steps");
    Cli.Result badZone = cli.run("schedule", "set", name, "--cron", "0 0 * * *", "--timezone", "Mars/Olympus", "--task", "{\"type\": \"steps\"}");
    Cli.Result delete = cli.run("schedule", "delete", name);
    Cli.Result gone = cli.run("schedule", "pause", name);

    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.out()).startsWith("schedule " + name + " (0 30 2 * * * in Europe/Budapest, steps): next run ");
    String[] lines = table.out().split("\n");
    assertThat(lines[0]).startsWith("NAME").contains("CRON").contains("TIMEZONE").contains("NEXT RUN").contains("LAST RUN");
    assertThat(table.out()).containsPattern(name + " +0 30 2 \\* \\* \\* +Europe/Budapest +steps +active +20");
    assertThat(pause.out()).contains(name).endsWith("paused\n");
    assertThat(paused.out()).containsPattern(name + " .* paused");
    assertThat(resume.out()).contains("next run");
    JsonObject schedule = new JsonObject(json.out()).getJsonArray("schedules").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("name").equals(name)).findFirst().orElseThrow();
    assertThat(schedule.getJsonObject("task")).isEqualTo(new JsonObject().put("type", "steps").put("tag", "nightly")
        .put("data", new JsonObject().put("format", "pdf")));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("taskhub: 'cron' '0 0 * * 8' is not valid: the day-of-week field '8'");
    assertThat(badZone.exitCode()).isEqualTo(2);
    assertThat(badZone.err()).contains("'timezone' 'Mars/Olympus' is not a time zone");
    assertThat(delete.out()).isEqualTo("schedule " + name + " deleted\n");
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.err()).contains("no schedule '" + name + "'");
  }

  private static String unique() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }
}
