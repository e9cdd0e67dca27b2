package dev.taskhub.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

import static org.awaitility.Awaitility.await;

/** A tiny client of the HTTP API, as a user's script would use it. */
public final class Api {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final HttpClient client;

  public Api(String base) {
    this(base, null, HTTP);
  }

  /** Over HTTPS, trusting what {@code tls} trusts. */
  public Api(String base, SSLContext tls) {
    this(base, null, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build());
  }

  private Api(String base, String token, HttpClient client) {
    this.base = base;
    this.token = token;
    this.client = client;
  }

  /** The same API, sending {@code Authorization: Bearer <token>} with every request. */
  public Api withToken(String token) {
    return new Api(base, token, client);
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

  public Response put(String path, String body) {
    return send(path, "PUT", body);
  }

  public Response patch(String path, String body) {
    return send(path, "PATCH", body);
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  /** Any method, any body, any content type: for requests a well-behaved client would not make. */
  public Response send(String path, String method, String body, String contentType) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", contentType)
        .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * A request written by hand on a socket, for targets that {@link java.net.URI} refuses to build (a malformed
   * escape such as {@code %zz}): what a hostile client can send all the same.
   */
  public Response raw(String method, String target) {
    return raw(method, target, URI.create(base).getHost());
  }

  /** A plain-HTTP request by hand with this {@code Host} header, such as a browser sends for a page's own name. */
  public Response raw(String method, String target, String host) {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(answer.substring(9, 12));
      int body = answer.indexOf("\r\n\r\n");
      return new Response(status, body < 0 ? "" : answer.substring(body + 4));
    } catch (IOException e) {
      throw new IllegalStateException("raw request to " + base + " failed: " + e, e);
    }
  }

  public Response send(String path, String method, String body) {
    return send(path, method, body, "application/json");
  }

  /** {@code PATCH /api/tasks/{id}} with {@code {"action": action}}. */
  public Response act(long id, String action) {
    return patch("/api/tasks/" + id, new JsonObject().put("action", action).encode());
  }

  private Response send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
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

  /** Waits until the task is in {@code state} and returns it. */
  public JsonObject awaitState(long id, String state, Duration within) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> (last[0] = task(id)).getString("state").equals(state));
    return last[0];
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
