package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Cli;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-type settings over HTTP and the CLI, on one node with real executors: the configuration's {@code types:} applied
 * at start, PUT/GET/list with null clearing a setting, refusals that change nothing, the defaults a registration
 * takes from its type, and a limit of 0 that holds a type's tasks READY until it is cleared.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeSettingsApiTest {
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("report", "echo 'ResultData: ok'")
        .script("held", "echo 'ResultData: ok'")
        .script("mail", "echo 'ResultData: ok'");
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf").resolve("override.yaml"), """
        types:
          report:
            maxAttempts: 4
            timeoutSeconds: 120
            priority: Important
          held:
            maxRunning: 0
        """);
    node = TaskhubNode.named("type-settings", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 2).start();
    api = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  private JsonObject settings(String type) {
    Api.Response r = api.get("/api/types/" + type);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().getJsonObject("settings");
  }

  @Test
  void theConfigurationsTypesAreAppliedAtStartAndARegistrationTakesItsTypesDefaults() throws Exception {
    assertThat(settings("report").getMap()).containsEntry("maxAttempts", 4).containsEntry("timeoutSeconds", 120)
        .containsEntry("priority", "Important").containsEntry("maxRunning", null);

    JsonObject task = api.submit(new JsonObject().put("type", "report"));
    JsonObject explicit = api.submit(new JsonObject().put("type", "report").put("maxAttempts", 1).put("priority", "Normal"));

    assertThat(task.getInteger("maxAttempts")).isEqualTo(4);
    assertThat(task.getInteger("timeoutSeconds")).isEqualTo(120);
    assertThat(task.getString("priority")).isEqualTo("Important");
    assertThat(explicit.getInteger("maxAttempts")).isEqualTo(1);
    assertThat(explicit.getString("priority")).isEqualTo("Normal");
    assertThat(api.awaitEnd(task.getLong("id"), seconds(30)).getString("state")).isEqualTo("DONE");

    JsonObject report = api.get("/api/types").json().getJsonArray("types").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("type").equals("report")).findFirst().orElseThrow();
    assertThat(report.getJsonObject("counts").getLong("DONE")).isGreaterThanOrEqualTo(1);
    assertThat(report.getJsonArray("nodes").getJsonObject(0).getMap())
        .containsEntry("id", node.nodeId()).containsEntry("executor", true).containsEntry("gone", false);
  }

  @Test
  void aTypeHeldAtZeroWaitsReadyAndRunsOnceItsLimitIsCleared() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(api.submit(new JsonObject().put("type", "held")).getLong("id"));
    }
    Thread.sleep(2_000);
    ids.forEach(id -> assertThat(api.task(id).getString("state")).as("maxRunning 0").isEqualTo("READY"));
    assertThat(api.stats().getJsonObject("limits").getJsonObject("held").getInteger("maxRunning")).as("the monitor's figure").isZero();

    Api.Response cleared = api.put("/api/types/held", "{\"maxRunning\": null}");

    assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
    assertThat(cleared.json().getJsonObject("settings").getValue("maxRunning")).isNull();
    for (long id : ids) {
      assertThat(api.awaitEnd(id, seconds(30)).getString("state")).as("woken by the change").isEqualTo("DONE");
    }
  }

  @Test
  void aPutSetsWhatItGivesNullClearsAndAGetReadsIt() {
    Api.Response put = api.put("/api/types/mail", new JsonObject().put("maxRunning", 2).put("maxRunningPerNode", 1)
        .put("maxAttempts", 3).put("timeoutSeconds", 600).put("priority", "important").encode());

    assertThat(put.status()).as(put.text()).isEqualTo(200);
    assertThat(put.json().getString("type")).isEqualTo("mail");
    assertThat(put.json().getJsonObject("settings").getMap()).isEqualTo(Map.of("maxRunning", 2, "maxRunningPerNode", 1,
        "maxAttempts", 3, "timeoutSeconds", 600, "priority", "Important"));
    assertThat(put.json().getJsonObject("counts").fieldNames()).contains("READY", "RUNNING", "DONE", "ERROR", "WAITING");

    Api.Response cleared = api.put("/api/types/mail", "{\"maxRunningPerNode\": null, \"priority\": null}");

    assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
    JsonObject now = settings("mail");
    assertThat(now.getValue("maxRunningPerNode")).isNull();
    assertThat(now.getValue("priority")).isNull();
    assertThat(now.getMap()).containsEntry("maxRunning", 2).containsEntry("maxAttempts", 3).containsEntry("timeoutSeconds", 600);
    assertThat(api.get("/api/types/never-configured").json().getJsonObject("settings").getMap().values()).containsOnlyNulls();
  }

  @Test
  void badSettingsAre400sThatNameTheProblemAndChangeNothing() {
    api.put("/api/types/strict", "{\"maxRunning\": 5, \"maxAttempts\": 2}");
    Map<String, String> refusals = Map.of(
        "{\"maxRunning\": -1}", "'maxRunning' must be at least 0, not -1",
        "{\"maxRunning\": \"2\"}", "'maxRunning' must be an integer, not '2'",
        "{\"maxRunning\": 2.5}", "'maxRunning' must be an integer, not 2.5",
        "{\"maxAttempts\": 0, \"maxRunning\": 1}", "'maxAttempts' must be at least 1, not 0",
        "{\"timeoutSeconds\": 0}", "'timeoutSeconds' must be at least 1, not 0",
        "{\"priority\": \"urgent\"}", "unknown priority 'urgent'",
        "{\"maxRuning\": 1}", "unknown field 'maxRuning'",
        "[1]", "must be a JSON object");
    refusals.forEach((body, message) -> {
      Api.Response r = api.put("/api/types/strict", body);
      assertThat(r.status()).as(body + " -> " + r.text()).isEqualTo(400);
      assertThat(r.json().getString("error")).as(body).contains(message);
    });
    assertThat(api.put("/api/types/strict", "{\"maxRunning\": ").status()).as("not JSON").isEqualTo(400);
    assertThat(api.put("/api/types/bad%20name", "{}").status()).as("not a type name").isEqualTo(400);
    assertThat(api.get("/api/types/" + "x".repeat(65)).status()).isEqualTo(400);
    assertThat(api.send("/api/types/strict", "PUT", "maxRunning=1", "text/plain").status()).isEqualTo(415);

    assertThat(settings("strict").getMap()).containsEntry("maxRunning", 5).containsEntry("maxAttempts", 2);
  }

  @Test
  void theCliListsTypesAndSetsAndClearsTheirSettings() throws Exception {
    Cli cli = Cli.of(node);

    Cli.Result set = cli.run("type", "set", "cli-type", "--max-running", "3", "--max-attempts", "2", "--priority", "Important");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.out()).contains("type cli-type: maxRunning 3, maxAttempts 2, priority Important");

    Cli.Result list = cli.run("types");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("TYPE", "MAX RUNNING", "EXECUTORS");
    String row = list.out().lines().filter(l -> l.startsWith("cli-type ")).findFirst().orElseThrow();
    assertThat(row.split("\\s+")).containsSubsequence("cli-type", "0", "0", "3", "-", "2", "-", "Important");
    assertThat(list.out().lines().filter(l -> l.startsWith("report ")).findFirst().orElseThrow()).contains("1 node");

    Cli.Result cleared = cli.run("type", "set", "cli-type", "--max-running", "none");
    assertThat(cleared.exitCode()).as(cleared.toString()).isZero();
    assertThat(settings("cli-type").getMap()).containsEntry("maxRunning", null).containsEntry("maxAttempts", 2);

    Cli.Result shown = cli.run("type", "show", "cli-type", "-o", "json");
    assertThat(new JsonObject(shown.out()).getJsonObject("settings").getInteger("maxAttempts")).isEqualTo(2);

    Cli.Result notANumber = cli.run("type", "set", "cli-type", "--max-running", "lots");
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).contains("'maxRunning' takes a whole number or none, not 'lots'");
    Cli.Result refused = cli.run("type", "set", "cli-type", "--max-running", "-1");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("'maxRunning' must be at least 0, not -1");
    assertThat(cli.run("type", "set", "cli-type").exitCode()).as("nothing to set").isEqualTo(2);
  }
}
