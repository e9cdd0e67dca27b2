package dev.taskhub.testing;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** A tiny client of the HTTP API, as a user's script would use it. */
public final class Api {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Api(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  public record Response(int status, String text) {
    public JsonObject json() {
      return new JsonObject(text);
    }
  }

  public Response post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (Exception e) {
      throw new IllegalStateException("request to " + base + " failed: " + e, e);
    }
  }

  /** Registers one task and returns it; fails the test unless the answer is 201. */
  public JsonObject submit(JsonObject task) {
    Response r = post("/api/tasks", task.encode());
    if (r.status() != 201) {
      throw new AssertionError("registration answered " + r.status() + ": " + r.text());
    }
    return r.json();
  }

  public JsonObject task(long id) {
    Response r = get("/api/tasks/" + id);
    if (r.status() != 200) {
      throw new AssertionError("GET task " + id + " answered " + r.status() + ": " + r.text());
    }
    return r.json();
  }

  /** Waits until the task reaches a final state and returns it. */
  public JsonObject awaitEnd(long id, Duration within) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
      last[0] = task(id);
      String state = last[0].getString("state");
      return state.equals("DONE") || state.equals("ERROR") || state.equals("CANCELLED");
    });
    return last[0];
  }

  public JsonObject stats() {
    return get("/api/stats").json();
  }
}
