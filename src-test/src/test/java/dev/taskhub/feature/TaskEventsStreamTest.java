package dev.taskhub.feature;

import dev.taskhub.testing.Api;
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

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /api/tasks/{id}/events}: server-sent events of one task, read as a browser's EventSource would. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskEventsStreamTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("steps", """
            sleep 1
            for i in 1 2 3 4; do echo "Progress: $((i * 20))%"; echo "Progress: step $i"; sleep 0.4; done
            echo "ResultData: all steps done"
            """)
        .script("sleeps", "echo 'Progress: 5%'; sleep 60");
    node = TaskhubNode.named("task-events", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).start();
    api = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  record Event(String kind, JsonObject task) {
  }

  @Test
  void theStreamSendsTheTaskNowThenItsProgressAndEndsAfterItsFinalState() throws Exception {
    long id = api.submit(new JsonObject().put("type", "steps").put("data", new JsonObject().put("big", "x".repeat(1000)))).getLong("id");

    HttpResponse<InputStream> response = open(id);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    List<Event> events = readToEnd(response); // returns only because the server ends the stream

    assertThat(events.get(0).kind()).isEqualTo("state");
    assertThat(events.get(0).task().getString("state")).isIn("READY", "RUNNING");
    assertThat(events).extracting(Event::kind).contains("progress");
    assertThat(events).allMatch(e -> e.task().getLong("id") == id && !e.task().containsKey("data"));
    List<Double> progress = events.stream().filter(e -> e.kind().equals("progress"))
        .map(e -> e.task().getDouble("progress")).filter(p -> p != null).toList();
    assertThat(progress).isNotEmpty().isSorted();
    Event last = events.get(events.size() - 1);
    assertThat(last.kind()).isEqualTo("state");
    assertThat(last.task().getString("state")).isEqualTo("DONE");
    assertThat(last.task().getString("resultData")).isEqualTo("all steps done");
  }

  @Test
  void theStreamOfAFinishedTaskSendsItsStateAndEndsAtOnce() throws Exception {
    long id = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    api.act(id, "cancel");

    List<Event> events = readToEnd(open(id));

    assertThat(events).hasSize(1);
    assertThat(events.get(0).task().getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void aStreamEndsWhenItsTaskIsCancelledOrDeleted() throws Exception {
    long cancelled = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    long deleted = api.submit(new JsonObject().put("type", "idle")).getLong("id");
    HttpResponse<InputStream> first = open(cancelled);
    HttpResponse<InputStream> second = open(deleted);
    await().atMost(seconds(10)).until(() -> openStreams() == 2);

    api.act(cancelled, "cancel");
    api.delete("/api/tasks/" + deleted);

    assertThat(readToEnd(first)).extracting(e -> e.task().getString("state")).containsExactly("READY", "CANCELLED");
    assertThat(readToEnd(second)).extracting(Event::kind).containsExactly("state", "deleted");
  }

  @Test
  void anUnknownTaskIsA404AndABadIdA400() throws Exception {
    HttpResponse<String> unknown = HTTP.send(request(987654321), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks/x/events")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("no task 987654321");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(openStreams()).isZero();
  }

  @Test
  void aClientThatGoesAwayLeavesNothingBehind() throws Exception {
    long id = api.submit(new JsonObject().put("type", "sleeps")).getLong("id");
    api.awaitState(id, "RUNNING", seconds(30));
    HttpResponse<InputStream> response = open(id);
    BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("event: state");
    assertThat(openStreams()).isEqualTo(1);

    reader.close(); // the client goes away while the task runs on

    await().atMost(seconds(20)).until(() -> openStreams() == 0);
    api.act(id, "cancel");
  }

  private int openStreams() {
    return api.get("/health").json().getInteger("openEventStreams");
  }

  private HttpRequest request(long id) {
    return HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks/" + id + "/events")).header("Accept", "text/event-stream").build();
  }

  private HttpResponse<InputStream> open(long id) throws Exception {
    return HTTP.send(request(id), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Reads events until the server ends the stream. */
  private static List<Event> readToEnd(HttpResponse<InputStream> response) throws Exception {
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String kind = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("event: ")) {
          kind = line.substring(7);
        } else if (line.startsWith("data: ")) {
          events.add(new Event(kind, new JsonObject(line.substring(6))));
        }
      }
    }
    return events;
  }
}
