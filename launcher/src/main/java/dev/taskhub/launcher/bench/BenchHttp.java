package dev.taskhub.launcher.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's HTTP API as a client sees it, over one kept-alive HTTP/1.1 connection (requests are sequential, so the
 * client's pool keeps reusing the same one).
 */
final class BenchHttp {
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  BenchHttp(String base) {
    this.base = base;
  }

  String base() {
    return base;
  }

  /** POST /api/tasks of one task; its id. */
  long register(JsonObject task) throws IOException, InterruptedException {
    return send(post(task)).getLong("id");
  }

  /** A prepared POST /api/tasks, so that a caller can read the clock just before sending it. */
  HttpRequest post(JsonObject body) {
    return HttpRequest.newBuilder(URI.create(base + "/api/tasks")).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }

  /** POST /api/tasks of {@code {"tasks": [...]}}; the ids, in order. */
  List<Long> registerBatch(JsonArray tasks) throws IOException, InterruptedException {
    JsonArray answered = send(post(new JsonObject().put("tasks", tasks))).getJsonArray("tasks");
    List<Long> ids = new ArrayList<>(answered.size());
    for (int i = 0; i < answered.size(); i++) {
      ids.add(answered.getJsonObject(i).getLong("id"));
    }
    return ids;
  }

  JsonObject get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /** Sends the request; the answer's JSON, or an exception naming the status and the body for anything but 2xx. */
  JsonObject send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode()
          + ": " + response.body());
    }
    return new JsonObject(response.body());
  }
}
