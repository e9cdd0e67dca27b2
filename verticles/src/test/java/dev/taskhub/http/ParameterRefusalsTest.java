package dev.taskhub.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the OpenAPI validator still refuses — parameters, the content type, JSON syntax — is answered in one clear
 * sentence. The sentences depend on the validator's own messages (which name the parameter), so a library upgrade
 * that changes those fails here rather than going unnoticed. No hub runs: nothing here reaches one, except the
 * request that shows it.
 */
@Timeout(60)
class ParameterRefusalsTest {
  static Vertx vertx;
  static HttpVerticle http;
  static HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new HttpVerticle(List.of());
    vertx.deployVerticle(http, new DeploymentOptions().setConfig(new JsonObject().put("http.port", 0))).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void aBadParameterIsNamedWithWhatItMustBe() throws Exception {
    assertRefused("GET", "/api/tasks/abc", null, 400, "the path parameter 'id' must be an integer, not 'abc'");
    assertRefused("GET", "/api/tasks/0", null, 400, "the path parameter 'id' must be at least 1, not '0'");
    assertRefused("GET", "/api/tasks/99999999999999999999", null, 400, "at most 9223372036854775807");
    assertRefused("GET", "/api/tasks?limit=5000", null, 400, "the query parameter 'limit' must be at most 1000, not '5000'");
    assertRefused("GET", "/api/tasks?state=SLEEPING", null, 400,
        "the query parameter 'state' must be one of WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR, CANCELLED, not 'SLEEPING'");
    assertRefused("GET", "/api/tasks?type=a/b", null, 400, "invalid type 'a/b': it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    assertRefused("GET", "/api/tasks?tag=" + "x".repeat(201), null, 400, "the query parameter 'tag' is longer than 200 characters");
    assertRefused("GET", "/api/tasks?sort=id", null, 400, "unknown query parameter 'sort'");
  }

  @Test
  void aBodyMustBeDeclaredJsonAndParse() throws Exception {
    assertRefused("POST", "/api/tasks", "{\"type\": \"noop\",", 400, "malformed JSON");
    assertRefused("POST", "/api/tasks", "", 400, "the request body is empty");
    assertRefused("POST", "/api/tasks", "[1, 2]", 400, "the request body must be a JSON object");
    HttpResponse<String> plain = client.send(HttpRequest.newBuilder(uri("/api/tasks")).header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"noop\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(new JsonObject(plain.body()).getString("error")).contains("Content-Type: application/json");
  }

  @Test
  void aChangeIsCheckedBeforeItTravelsToTheHub() throws Exception {
    assertRefused("PATCH", "/api/tasks/1", "{\"state\": \"DONE\"}", 400, "unknown field 'state': use action, priority");
    assertRefused("PATCH", "/api/tasks/1", "{\"action\": 1}", 400, "'action' must be a string, not 1");
    assertRefused("PATCH", "/api/tasks/1", "[\"cancel\"]", 400, "the request body must be a JSON object");
    assertRefused("PATCH", "/api/tasks/1", "{\"action\": \"cancel\"}", 503, "no hub is running"); // a good change goes on
  }

  private static void assertRefused(String method, String path, String body, int status, String message) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    assertThat(new JsonObject(response.body()).getString("error")).as(method + " " + path).contains(message);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.port() + path);
  }
}
