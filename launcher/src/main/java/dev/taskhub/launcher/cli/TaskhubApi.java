package dev.taskhub.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The HTTP API as the command line uses it: plain {@link java.net.http.HttpClient}, no Vert.x, so a command starts
 * fast. Every refusal or failure to connect becomes a {@link CliException} with one line for the user.
 */
final class TaskhubApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String server;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TaskhubApi(String server, String token) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.token = token == null || token.isBlank() ? null : token.trim();
  }

  JsonObject get(String path) {
    return send(request(path).GET());
  }

  JsonObject post(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  JsonObject put(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  JsonObject patch(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  void delete(String path) {
    send(request(path).DELETE());
  }

  /** One server-sent event: its name and its JSON data. */
  record Event(String kind, JsonObject data) {
  }

  /**
   * Reads the event stream at {@code path} until the server ends it, handing each event to {@code handler}. Returns
   * normally when the stream ends or breaks off; a refusal (404, 401…) or an unreachable server throws.
   */
  void events(String path, Consumer<Event> handler) {
    HttpRequest request = withToken(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream")).GET().build();
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.REFUSED, "interrupted");
    }
    if (response.statusCode() != 200) {
      String body = String.join("\n", (Iterable<String>) response.body()::iterator);
      throw refused(response.statusCode(), body);
    }
    String kind = "message";
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (data.length() > 0) {
            handler.accept(new Event(kind, new JsonObject(data.toString())));
          }
          kind = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          kind = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        } // ":" comments keep the connection alive
      }
    } catch (UncheckedIOException e) {
      // the stream broke off: the caller looks at the task and decides
    }
  }

  private HttpRequest.Builder request(String path) {
    return withToken(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Accept", "application/json"));
  }

  private HttpRequest.Builder withToken(HttpRequest.Builder builder) {
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private URI uri(String path) {
    try {
      URI uri = URI.create(server + path);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.REFUSED, "--server must be an http:// or https:// URL, not '" + server + "'");
    }
  }

  private JsonObject send(HttpRequest.Builder builder) {
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.REFUSED, "interrupted");
    }
    if (response.statusCode() >= 300) {
      throw refused(response.statusCode(), response.body());
    }
    if (response.statusCode() == 204 || response.body().isEmpty()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new CliException(ExitCodes.REFUSED, "the server at " + server + " did not answer with JSON: is it a Taskhub node?");
    }
  }

  private CliException unreachable(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return new CliException(ExitCodes.REFUSED, "the Taskhub server at " + server + " did not answer within " + TIMEOUT.toSeconds() + " s");
    }
    String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
    return new CliException(ExitCodes.REFUSED, "cannot reach the Taskhub server at " + server + " (" + why
        + "): is a node running there? Set --server or TASKHUB_SERVER");
  }

  private CliException refused(int status, String body) {
    String message;
    try {
      message = new JsonObject(body).getString("error", "HTTP " + status);
    } catch (DecodeException | NullPointerException e) {
      message = "the server answered HTTP " + status;
    }
    if (status == 401) {
      message += " (set --token or TASKHUB_TOKEN)";
    }
    return new CliException(ExitCodes.REFUSED, message);
  }
}
