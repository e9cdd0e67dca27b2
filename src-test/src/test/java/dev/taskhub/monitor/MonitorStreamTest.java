package dev.taskhub.monitor;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.EventStream;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/** The monitor's stream without a browser: what a page receives, in what order, and what it may not do. */
@Timeout(120)
class MonitorStreamTest {
  @TempDir
  Path dir;
  TaskhubNode node;

  TaskhubNode start(String name, Map<String, Object> settings) throws Exception {
    node = TaskhubNode.named(name, dir)
        .database(TestDatabase.createDatabase())
        .executors(Files.createDirectories(dir.resolve("executors")))
        .set("agent.count", 1);
    settings.forEach(node::set);
    return node.start();
  }

  @AfterEach
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aPageGetsTheWholePictureFirstThenOnlyCoalescedChanges() throws Exception {
    Api api = start("monitor-stream", Map.of()).api();
    try (EventStream stream = EventStream.open(api.base() + "/monitor/stream", Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      JsonObject snapshot = stream.next(seconds(20));
      assertThat(snapshot.getString("kind")).isEqualTo("snapshot");
      assertThat(snapshot.getJsonArray("tasks")).isEmpty();
      assertThat(snapshot.getJsonArray("history")).isNotNull();
      assertThat(snapshot.getString("self")).isNotBlank();
      JsonObject nodes = stream.until(m -> m.getJsonArray("nodes") != null && !m.getJsonArray("nodes").isEmpty(), seconds(20), m -> { });
      JsonObject self = nodes.getJsonArray("nodes").getJsonObject(0);
      assertThat(self.getDouble("cpu")).isBetween(0.0, 100.0);
      assertThat(self.getJsonObject("memory").getLong("freeMb")).isPositive();

      JsonArray specs = new JsonArray();
      for (int i = 0; i < 300; i++) {
        specs.add(new JsonObject().put("type", "nobody-runs-this").put("data", new JsonObject().put("secret", "s" + i)));
      }
      assertThat(api.post("/api/tasks", new JsonObject().put("tasks", specs).encode()).status()).isEqualTo(201);

      Set<Long> seen = new HashSet<>();
      List<JsonObject> updates = new ArrayList<>();
      long[] lastSeq = {snapshot.getLong("seq")};
      java.util.function.Consumer<JsonObject> collect = update -> {
        assertThat(update.getString("kind")).isEqualTo("update");
        assertThat(update.getLong("seq")).isGreaterThan(lastSeq[0]);
        lastSeq[0] = update.getLong("seq");
        JsonArray tasks = update.getJsonArray("tasks", new JsonArray());
        if (!tasks.isEmpty()) {
          updates.add(update);
        }
        tasks.forEach(t -> {
          JsonObject task = (JsonObject) t;
          assertThat(task.containsKey("data")).as("a stream update carries no task data").isFalse();
          seen.add(task.getLong("id"));
        });
      };
      stream.until(update -> {
        collect.accept(update);
        return seen.size() >= 300;
      }, seconds(30), skipped -> { });

      // 300 registrations reached the page in a handful of messages, not one each.
      assertThat(updates.size()).isLessThan(30);
    }
  }

  @Test
  void theStreamSpeaksOnlyOutwardAndThereIsNoEventBusBridgeToWriteTo() throws Exception {
    Api api = start("monitor-outbound", Map.of()).api();

    assertThat(api.post("/monitor/stream", "{\"address\":\"taskhub.hub.register\",\"body\":{}}").status()).isEqualTo(404);
    assertThat(api.post("/eventbus/send", "{}").status()).isEqualTo(404);
    assertThat(api.get("/eventbus/info").status()).isEqualTo(404);
    assertThat(api.stats().getJsonObject("byState").getLong("READY")).as("nothing was registered").isZero();
    try (EventStream stream = EventStream.open(api.base() + "/monitor/stream", Map.of())) {
      assertThat(stream.next(seconds(20)).getString("kind")).isEqualTo("snapshot");
    }
  }

  @Test
  void withApiTokensOnlyATokenOpensTheStreamAndOnlyAnAdminTokenMayAct() throws Exception {
    Api api = start("monitor-tokens", Map.of("api.tokens", "watcher-token:read,submitter-token:submit,operator-token:admin")).api();

    try (EventStream anonymous = EventStream.open(api.base() + "/monitor/stream", Map.of())) {
      assertThat(anonymous.status()).isEqualTo(401);
    }
    try (EventStream watcher = EventStream.open(api.base() + "/monitor/stream", Map.of("Authorization", "Bearer watcher-token"))) {
      assertThat(watcher.status()).isEqualTo(200);
      assertThat(watcher.next(seconds(20)).getString("kind")).isEqualTo("snapshot");
    }
    assertThat(api.get("/").status()).as("the page itself opens, so the operator can paste a token").isEqualTo(200);
    assertThat(access(api, null)).isEqualTo(new JsonObject().put("tokens", true).putNull("role").put("mayWatch", false).put("mayAct", false));
    assertThat(access(api, "watcher-token").getBoolean("mayAct")).isFalse();
    assertThat(access(api, "submitter-token").getBoolean("mayAct")).as("PATCH needs admin").isFalse();
    assertThat(access(api, "operator-token").getBoolean("mayAct")).isTrue();
    assertThat(access(api, "guessed-token").getBoolean("mayWatch")).isFalse();
  }

  private static JsonObject access(Api api, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/monitor/access"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body());
  }
}
