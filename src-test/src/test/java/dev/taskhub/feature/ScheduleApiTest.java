package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Recurring schedules over HTTP, on one node with real executors. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleApiTest {
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("report", "echo \"ResultData: $(cat \"$TASKHUB_DATA_FILE\")\"");
    node = TaskhubNode.named("schedule-api", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 2).start();
    api = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  Api.Response put(String name, JsonObject schedule) {
    return api.send("/api/schedules/" + name, "PUT", schedule.encode());
  }

  static JsonObject schedule(String cron, String zone, JsonObject task) {
    return new JsonObject().put("cron", cron).put("timezone", zone).put("task", task);
  }

  @Test
  void aScheduleIsCreatedReplacedReadPausedResumedAndDeleted() {
    JsonObject task = new JsonObject().put("type", "report").put("data", new JsonObject().put("format", "pdf"));
    Api.Response created = put("weekly", schedule("0 30 2 * * MON", "Europe/Budapest", task));
    Api.Response replaced = put("weekly", schedule("0 0 3 * * MON", "Europe/Budapest", task));

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().getString("cron")).isEqualTo("0 30 2 * * MON");
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
    JsonObject got = api.get("/api/schedules/weekly").json();
    assertThat(got.getString("name")).isEqualTo("weekly");
    assertThat(got.getString("cron")).isEqualTo("0 0 3 * * MON");
    assertThat(got.getString("timezone")).isEqualTo("Europe/Budapest");
    assertThat(got.getJsonObject("task")).isEqualTo(task);
    assertThat(got.getBoolean("paused")).isFalse();
    assertThat(Instant.parse(got.getString("nextRunAt"))).isAfter(Instant.now());
    assertThat(got.getValue("lastRunAt")).isNull();
    assertThat(api.get("/api/schedules").json().getJsonArray("schedules").stream()
        .map(s -> ((JsonObject) s).getString("name")).toList()).contains("weekly");

    JsonObject paused = api.patch("/api/schedules/weekly", "{\"action\": \"pause\"}").json();
    assertThat(paused.getBoolean("paused")).isTrue();
    assertThat(paused.getValue("nextRunAt")).isNull();
    JsonObject resumed = api.patch("/api/schedules/weekly", "{\"action\": \"resume\"}").json();
    assertThat(resumed.getBoolean("paused")).isFalse();
    assertThat(resumed.getString("nextRunAt")).isEqualTo(got.getString("nextRunAt"));

    assertThat(api.delete("/api/schedules/weekly").status()).isEqualTo(204);
    assertThat(api.get("/api/schedules/weekly").status()).isEqualTo(404);
    assertThat(api.delete("/api/schedules/weekly").status()).isEqualTo(404);
  }

  @Test
  void everyTickMakesATaskCarryingTheScheduleAndItsTick() {
    JsonObject task = new JsonObject().put("type", "report").put("data", new JsonObject().put("n", 1)).put("tag", "from-schedule");
    assertThat(put("every-second", schedule("* * * * * *", "UTC", task)).status()).isEqualTo(201);
    await().atMost(seconds(20)).until(() -> tasksOf("every-second").size() >= 3);
    api.patch("/api/schedules/every-second", "{\"action\": \"pause\"}");

    List<JsonObject> tasks = tasksOf("every-second");
    for (JsonObject t : tasks) {
      assertThat(t.getString("schedule")).isEqualTo("every-second");
      assertThat(t.getString("tag")).isEqualTo("from-schedule");
      Instant tick = Instant.parse(t.getString("scheduledFor"));
      assertThat(tick.getNano()).isZero();
      assertThat(Instant.parse(t.getString("createdAt"))).isBetween(tick, tick.plusSeconds(3));
    }
    JsonObject done = api.awaitEnd(tasks.get(0).getLong("id"), seconds(30));
    assertThat(done.getString("state")).isEqualTo("DONE");
    assertThat(done.getString("resultData")).isEqualTo("{\"n\":1}");
    assertThat(api.get("/api/schedules/every-second").json().getString("lastRunAt")).isNotNull();
    assertThat(api.get("/api/tasks?schedule=no-such-schedule").json().getJsonArray("tasks")).isEmpty();
  }

  @Test
  void aBadExpressionZoneOrTaskIsRefusedNamingTheField() {
    JsonObject task = new JsonObject().put("type", "report");
    assertRefused(put("bad", schedule("61 * * * * *", "UTC", task)), "'cron' '61 * * * * *' is not valid: the second field '61'");
    assertRefused(put("bad", schedule("0 0 * * 8", "UTC", task)), "the day-of-week field '8'");
    assertRefused(put("bad", schedule("0 0 * *", "UTC", task)), "'cron' '0 0 * *' has 4 fields");
    assertRefused(put("bad", schedule("0 0 * * *", "Europe/Atlantis", task)), "'timezone' 'Europe/Atlantis' is not a time zone");
    assertRefused(put("bad", schedule("0 0 * * *", "UTC", new JsonObject().put("type", "../x"))), "task: invalid type '../x'");
    assertRefused(put("bad", schedule("0 0 * * *", "UTC", task).put("every", "day")), "unknown field 'every'");
    assertRefused(put("bad", new JsonObject().put("cron", "0 0 * * *")), "'task' is required");
    assertRefused(put("bad%20name", schedule("0 0 * * *", "UTC", task)), "name");
    assertRefused(api.patch("/api/schedules/bad", "{\"action\": \"stop\"}"), "'action' must be one of pause, resume");
    assertThat(api.get("/api/schedules/bad").status()).isEqualTo(404);
  }

  private static void assertRefused(Api.Response r, String message) {
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains(message);
  }

  private List<JsonObject> tasksOf(String schedule) {
    JsonArray tasks = api.get("/api/tasks?limit=1000&schedule=" + schedule).json().getJsonArray("tasks");
    return tasks.stream().map(JsonObject.class::cast).toList();
  }
}
