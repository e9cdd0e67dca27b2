package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.Scrape;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /metrics} as Prometheus scrapes it, after work whose outcome is known: the hub's counts, claims,
 * completions, run times, leases and agents; the JVM's and Vert.x's own meters; and one log line per transition.
 */
@Timeout(240)
class MetricsTest {
  private static final String TOKEN = "metrics-test-token-0123456789abcdef";
  private static final String DB_PASSWORD = "db-password-never-logged";

  @TempDir
  Path dir;

  @Test
  void aScrapeAfterKnownWorkShowsWhatTheHubCountedAndTheLogHasOneLinePerTransition() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("ok", "echo 'Progress: 50%'")
        .script("fails", "echo 'ERROR: broken'; exit 3");
    // The embedded server trusts any password: this one only has to reach the node's configuration.
    String db = TestDatabase.createDatabase().replace("postgres@", "postgres:" + DB_PASSWORD + "@");
    try (TaskhubNode node = TaskhubNode.named("metrics", dir).database(db).executors(executors.dir())
        .set("agent.count", 2).set("api.tokens", TOKEN + ":admin").start()) {
      Api api = node.api().withToken(TOKEN);
      // Both agents asked for work and found none: they wait, and the hub knows it (no claim is still under way).
      double emptyClaims = await().atMost(seconds(30)).until(() -> emptyClaims(api), n -> n >= 2.0);
      await().during(Duration.ofMillis(500)).atMost(seconds(10)).until(() -> emptyClaims(api) == emptyClaims);
      long first = api.post("/api/tasks", "{\"type\": \"ok\"}").json().getLong("id");
      JsonArray more = new JsonArray().add(task("ok")).add(task("ok")).add(task("fails")).add(task("fails"))
          .add(task("ok").put("delaySeconds", 3600));
      Api.Response batch = api.post("/api/tasks", new JsonObject().put("tasks", more).encode());
      assertThat(batch.status()).isEqualTo(201);
      long second = batch.json().getJsonArray("tasks").getJsonObject(0).getLong("id");
      await().atMost(seconds(60)).until(() -> {
        JsonObject byState = api.stats().getJsonObject("byState");
        return byState.getLong("DONE") == 3 && byState.getLong("ERROR") == 2;
      });

      Api.Response scraped = api.get("/metrics");
      assertThat(scraped.status()).isEqualTo(200);
      Scrape scrape = new Scrape(scraped.text());
      assertThat(scrape.value("taskhub_tasks", "state", "DONE", "type", "ok")).isEqualTo(3.0);
      assertThat(scrape.value("taskhub_tasks", "state", "ERROR", "type", "fails")).isEqualTo(2.0);
      assertThat(scrape.value("taskhub_tasks", "state", "READY", "type", "ok")).as("the delayed one").isEqualTo(1.0);
      assertThat(scrape.value("taskhub_tasks", "state", "RUNNING")).isEqualTo(0.0);
      assertThat(scrape.value("taskhub_claims_total")).isEqualTo(5.0);
      assertThat(scrape.value("taskhub_completions_total", "outcome", "done")).isEqualTo(3.0);
      assertThat(scrape.value("taskhub_completions_total", "outcome", "error")).isEqualTo(2.0);
      assertThat(scrape.value("taskhub_task_duration_seconds_count", "type", "ok", "outcome", "done")).isEqualTo(3.0);
      assertThat(scrape.value("taskhub_task_duration_seconds_bucket", "type", "fails", "outcome", "error", "le", "+Inf")).isEqualTo(2.0);
      for (String cause : List.of("timeout", "node_lost", "stale", "shutdown")) {
        assertThat(scrape.value("taskhub_lease_releases_total", "cause", cause)).as(cause).isEqualTo(0.0);
      }
      // Both agents are idle once the heartbeat that follows their last task arrives (heartbeats are coalesced).
      await().atMost(seconds(10)).untilAsserted(() ->
          assertThat(new Scrape(api.get("/metrics").text()).value("taskhub_agents", "state", "idle")).isEqualTo(2.0));
      assertThat(scrape.has("jvm_memory_used_bytes")).as("the JVM's own").isTrue();
      assertThat(scrape.text()).as("Vert.x's own").contains("\nvertx_http_server_");
      // /api/stats answers from the same counts.
      assertThat(api.stats().getJsonObject("byState").getLong("READY")).isEqualTo(1);
      assertThat(api.stats().getJsonObject("byType").getJsonObject("fails").getLong("ERROR")).isEqualTo(2);
      // Like every route but /health and /ready, /metrics needs a token when the node has tokens.
      assertThat(node.api().get("/metrics").status()).isEqualTo(401);

      String log = node.logText();
      // The single task went straight to a waiting agent; the batch's were announced and claimed.
      List<String> lines = log.lines().filter(l -> l.contains("task " + first + " (ok)")).toList();
      assertThat(lines).as(log).hasSize(2);
      assertThat(lines.get(0)).contains("attempt 1: registered RUNNING, priority Normal, handed to waiting agent ");
      assertThat(lines.get(1)).contains("attempt 1: RUNNING -> DONE, node ").contains(", ran ").contains(" ms");
      List<String> claimed = log.lines().filter(l -> l.contains("task " + second + " (ok)")).toList();
      assertThat(claimed).as(log).hasSize(3);
      assertThat(claimed.get(0)).contains("attempt 0: registered READY");
      assertThat(claimed.get(1)).contains("attempt 1: READY -> RUNNING, node ").contains(", queued ");
      assertThat(claimed.get(2)).contains("attempt 1: RUNNING -> DONE, node ").contains(", ran ").contains(" ms");
      assertThat(lines).allMatch(l -> l.contains(" INFO "));
      assertThat(log).doesNotContain(DB_PASSWORD).doesNotContain(TOKEN);
    }
  }

  @Test
  void twoHubsEachShowEveryTransitionOnceTheCountsAreReconciled() throws Exception {
    Executors executors = new Executors(dir.resolve("executors")).script("ok", "true");
    TestCluster cluster = new TestCluster(2);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode front = TaskhubNode.named("metrics-front", Files.createDirectories(dir.resolve("front"))).cluster(cluster)
             .database(db).roles("hub,http").set("metrics.reconcileSeconds", 1).start();
         TaskhubNode worker = TaskhubNode.named("metrics-worker", Files.createDirectories(dir.resolve("worker"))).cluster(cluster)
             .database(db).executors(executors.dir()).roles("hub,agents,http").set("agent.count", 2)
             .set("metrics.reconcileSeconds", 1).start()) {
      JsonArray tasks = new JsonArray();
      for (int i = 0; i < 6; i++) {
        tasks.add(task("ok"));
      }
      assertThat(front.api().post("/api/tasks", new JsonObject().put("tasks", tasks).encode()).status()).isEqualTo(201);
      // Whichever hub registered, claimed or completed a task, both show all six DONE within a reconciliation.
      for (TaskhubNode node : List.of(front, worker)) {
        await().atMost(seconds(60)).untilAsserted(() -> {
          Scrape scrape = new Scrape(node.api().get("/metrics").text());
          assertThat(scrape.value("taskhub_tasks", "state", "DONE", "type", "ok")).isEqualTo(6.0);
          assertThat(scrape.value("taskhub_tasks", "state", "READY", "type", "ok")).isEqualTo(0.0);
        });
      }
      double claims = new Scrape(front.api().get("/metrics").text()).value("taskhub_claims_total")
          + new Scrape(worker.api().get("/metrics").text()).value("taskhub_claims_total");
      assertThat(claims).as("each hub counts the claims it made").isEqualTo(6.0);
    }
  }

  private static JsonObject task(String type) {
    return new JsonObject().put("type", type);
  }

  private static double emptyClaims(Api api) {
    return new Scrape(api.get("/metrics").text()).value("taskhub_claims_empty_total");
  }
}
