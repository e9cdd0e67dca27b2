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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of the HTTP API against a live node, as a user's script would call it. Tasks of the type
 * {@code idle} have no executor, so they stay READY for as long as a test needs.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
  Path dir;
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Executors executors = new Executors(dir.resolve("executors"))
        .script("quick", "echo 'Progress: 50%'; echo 'a log line'; echo 'ResultData: quick result'")
        .script("fails", "echo 'ERROR: {\"type\":\"Broken\",\"message\":\"it broke\"}'; exit 3")
        .script("big-result", "i=0; while [ $i -lt 200 ]; do echo \"ResultData: $i $(printf '%0100d' 0)\"; i=$((i + 1)); done")
        .script("sleeps", "echo $$ > \"" + dir + "/sleeps-$TASKHUB_TASK_ID.pid\"; echo 'Progress: started'; sleep 60");
    node = TaskhubNode.named("rest-api", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 2).start();
    api = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void aTaskIsCreatedReadListedAndDeleted() {
    Api.Response created = api.post("/api/tasks", "{\"type\": \"idle\", \"data\": {\"n\": 1}, \"title\": \"one\"}");
    assertThat(created.status()).isEqualTo(201);
    long id = created.json().getLong("id");

    JsonObject task = api.task(id);
    assertThat(task.getString("title")).isEqualTo("one");
    assertThat(task.getJsonObject("data")).isEqualTo(new JsonObject().put("n", 1));
    assertThat(ids(api.get("/api/tasks?type=idle").json())).contains(id);

    Api.Response deleted = api.delete("/api/tasks/" + id);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.text()).isEmpty();
    assertThat(api.get("/api/tasks/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/api/tasks/" + id).status()).isEqualTo(404);
  }

  @Test
  void aBatchIsCreatedAllOrNothing() {
    String tag = unique();
    JsonObject good = new JsonObject().put("type", "idle").put("tag", tag);

    Api.Response refused = api.post("/api/tasks", new JsonObject().put("tasks", new JsonArray()
        .add(good).add(good.copy().put("dependsOn", new JsonArray().add(987654321)))).encode());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("error")).contains("987654321");
    assertThat(ids(api.get("/api/tasks?tag=" + tag).json())).isEmpty();

    Api.Response created = api.post("/api/tasks", new JsonObject().put("tasks", new JsonArray().add(good).add(good)).encode());
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getJsonArray("tasks")).hasSize(2);
    assertThat(ids(api.get("/api/tasks?tag=" + tag).json())).hasSize(2);
  }

  @Test
  void listingFiltersByStateTypeAndTagAndPagesWithACursor() {
    String tag = unique();
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(api.submit(new JsonObject().put("type", "idle").put("tag", tag)).getLong("id"));
    }
    api.submit(new JsonObject().put("type", "idle-other").put("tag", tag));

    List<Long> paged = new ArrayList<>();
    String path = "/api/tasks?type=idle&state=READY&limit=2&tag=" + tag;
    JsonObject page = api.get(path).json();
    paged.addAll(ids(page));
    while (page.getValue("next") != null) {
      page = api.get(path + "&after=" + page.getLong("next")).json();
      paged.addAll(ids(page));
    }

    Collections.reverse(created); // newest first
    assertThat(paged).containsExactlyElementsOf(created);
    assertThat(ids(api.get("/api/tasks?state=DONE&tag=" + tag).json())).isEmpty();
  }

  @Test
  void aListCarriesAtMostFourKibOfEachResultMarkedTruncatedWhileTheTaskItselfCarriesAll() {
    String tag = unique();
    long id = api.submit(new JsonObject().put("type", "big-result").put("tag", tag)).getLong("id");
    long small = api.submit(new JsonObject().put("type", "quick").put("tag", tag)).getLong("id");
    JsonObject whole = api.awaitEnd(id, seconds(30));
    api.awaitEnd(small, seconds(30));

    JsonArray listed = api.get("/api/tasks?tag=" + tag).json().getJsonArray("tasks");

    JsonObject big = listed.stream().map(JsonObject.class::cast).filter(t -> t.getLong("id") == id).findFirst().orElseThrow();
    assertThat(whole.getString("resultData")).hasSizeGreaterThan(20_000);
    assertThat(big.getBoolean("resultDataTruncated")).isTrue();
    assertThat(big.getString("resultData")).hasSize(4096);
    assertThat(whole.getString("resultData")).startsWith(big.getString("resultData"));
    assertThat(whole.containsKey("resultDataTruncated")).isFalse();
    JsonObject quick = listed.stream().map(JsonObject.class::cast).filter(t -> t.getLong("id") == small).findFirst().orElseThrow();
    assertThat(quick.getBoolean("resultDataTruncated")).isFalse();
    assertThat(quick.getString("resultData")).isEqualTo("quick result");
  }

  @Test
  void aReadyTaskIsSuspendedAndResumedAndItsPriorityChanges() {
    long id = api.submit(new JsonObject().put("type", "idle")).getLong("id");

    assertThat(api.act(id, "suspend").json().getString("state")).isEqualTo("SUSPENDED");
    Api.Response again = api.act(id, "suspend");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("error")).isEqualTo("task " + id + " is SUSPENDED: only a task that is READY can be suspended");
    assertThat(api.act(id, "resume").json().getString("state")).isEqualTo("READY");

    Api.Response priority = api.patch("/api/tasks/" + id, "{\"priority\": \"Immediately\"}");
    assertThat(priority.status()).isEqualTo(200);
    assertThat(api.task(id).getString("priority")).isEqualTo("Immediately");
    assertThat(api.get("/api/tasks/" + id + "/log").json().getString("log"))
        .contains("suspended on request").contains("resumed on request");
  }

  @Test
  void cancellingARunningTaskKillsItsExecutorAtOnceAndTheTaskStaysCancelled() throws Exception {
    long id = api.submit(new JsonObject().put("type", "sleeps")).getLong("id");
    api.awaitState(id, "RUNNING", seconds(30));
    Path pidFile = dir.resolve("sleeps-" + id + ".pid");
    await().atMost(seconds(10)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    long pid = Long.parseLong(Files.readString(pidFile).trim());

    Api.Response cancelled = api.act(id, "cancel");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    await().atMost(seconds(10)).until(() -> !TaskhubNode.isAlive(pid));
    // Both agents take work again, and the killed run recorded nothing over the cancellation.
    for (int i = 0; i < 2; i++) {
      assertThat(api.awaitEnd(api.submit(new JsonObject().put("type", "quick")).getLong("id"), seconds(30)).getString("state")).isEqualTo("DONE");
    }
    JsonObject task = api.task(id);
    assertThat(task.getString("state")).isEqualTo("CANCELLED");
    assertThat(task.getJsonObject("error").getString("type")).isEqualTo("Cancelled");
    assertThat(api.act(id, "cancel").status()).isEqualTo(409);
  }

  @Test
  void aFinishedTaskRunsAgainWhenRetried() {
    long id = api.submit(new JsonObject().put("type", "fails")).getLong("id");
    assertThat(api.awaitEnd(id, seconds(30)).getString("state")).isEqualTo("ERROR");

    Api.Response retried = api.act(id, "retry");

    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.json().getInteger("attempts")).isZero();
    assertThat(retried.json().getValue("error")).isNull();
    assertThat(retried.json().getValue("resultCode")).isNull();
    JsonObject again = api.awaitEnd(id, seconds(30));
    assertThat(again.getString("state")).isEqualTo("ERROR");
    assertThat(again.getInteger("attempts")).isEqualTo(1);
    assertThat(api.get("/api/tasks/" + id + "/log").json().getString("log")).contains("retried on request");

    long ready = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    Api.Response refused = api.act(ready, "retry");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("error")).contains("is READY").contains("DONE, ERROR or CANCELLED");
  }

  @Test
  void aRunningTaskIsNotDeletedUntilItIsCancelled() {
    long id = api.submit(new JsonObject().put("type", "sleeps")).getLong("id");
    api.awaitState(id, "RUNNING", seconds(30));

    Api.Response refused = api.delete("/api/tasks/" + id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("error")).isEqualTo("task " + id + " is RUNNING: cancel it first, then delete it");
    assertThat(api.task(id).getString("state")).isEqualTo("RUNNING");

    assertThat(api.act(id, "cancel").status()).isEqualTo(200);
    assertThat(api.delete("/api/tasks/" + id).status()).isEqualTo(204);
  }

  @Test
  void deletingATaskThatOthersWaitForSettlesThemAsIfItWereCancelled() {
    long first = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    long onSuccess = api.submit(new JsonObject().put("type", "idle").put("dependsOn", new JsonArray().add(first))).getLong("id");
    long always = api.submit(new JsonObject().put("type", "idle").put("dependsOn", new JsonArray().add(first)).put("runIf", "always")).getLong("id");
    assertThat(api.task(onSuccess).getString("state")).isEqualTo("WAITING");

    assertThat(api.delete("/api/tasks/" + first).status()).isEqualTo(204);

    assertThat(api.task(onSuccess).getString("state")).isEqualTo("CANCELLED");
    assertThat(api.task(always).getString("state")).isEqualTo("READY");
  }

  @Test
  void aPriorityChangeOfAFinishedTaskIsRefusedNamingItsState() {
    long id = api.submit(new JsonObject().put("type", "quick")).getLong("id");
    api.awaitEnd(id, seconds(30));

    Api.Response refused = api.patch("/api/tasks/" + id, "{\"priority\": \"Important\"}");

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("error")).isEqualTo("task " + id + " is DONE: the priority of a task that ended cannot change");
    assertThat(api.task(id).getString("priority")).isEqualTo("Normal");
  }

  @Test
  void theLogStatsNodesAgentsAndHealthAnswer() {
    long id = api.submit(new JsonObject().put("type", "quick")).getLong("id");
    api.awaitEnd(id, seconds(30));

    JsonObject log = api.get("/api/tasks/" + id + "/log").json();
    assertThat(log.getString("log")).contains("a log line");
    assertThat(log.getString("state")).isEqualTo("DONE");
    assertThat(api.stats().getJsonObject("byState").getLong("DONE")).isPositive();
    assertThat(api.get("/api/nodes").json().getJsonArray("nodes")).isNotEmpty();
    await().atMost(seconds(10)).until(() -> api.get("/api/agents").json().getJsonArray("agents").size() == 2);
    assertThat(api.get("/health").json().getString("status")).isEqualTo("UP");
  }

  @Test
  void theOpenApiDocumentIsServed() {
    Api.Response document = api.get("/api/openapi.yaml");

    assertThat(document.status()).isEqualTo(200);
    assertThat(document.text()).startsWith("openapi: 3.1.0")
        .contains("/api/tasks/{id}/events:").contains("operationId: changeTask").contains("operationId: deleteTask");
  }

  private static List<Long> ids(JsonObject page) {
    List<Long> ids = new ArrayList<>();
    page.getJsonArray("tasks").forEach(t -> ids.add(((JsonObject) t).getLong("id")));
    return ids;
  }

  private static String unique() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }
}
