package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Cli;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API tokens and their roles (read < submit < admin), on a node bound to every address (0.0.0.0), which it may
 * only do because it has tokens. Some tokens come from api.tokens, one from api.tokensFile.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenTest {
  static final String ADMIN = "admin-7f3a9c1e5b";
  static final String SUBMIT = "submit-2d8e4a6f0c";
  static final String READ = "read-9b1c3e5d7a"; // from the tokens file
  Path dir;
  TaskhubNode node;
  Api anonymous;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Path tokensFile = Files.writeString(dir.resolve("tokens"), "# read-only dashboards\n" + READ + ":read\n");
    node = TaskhubNode.named("tokens", dir).database(TestDatabase.createDatabase()).set("agent.count", 0)
        .set("http.host", "0.0.0.0")
        .set("api.tokens", ADMIN + ":admin, " + SUBMIT + ":submit")
        .set("api.tokensFile", tokensFile).start();
    anonymous = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @ParameterizedTest(name = "{0} {1} with {2}: {3}")
  @CsvSource({
      "GET,    /api/tasks,      none,   401",
      "GET,    /api/tasks,      wrong,  401",
      "GET,    /api/tasks,      read,   200",
      "GET,    /api/stats,      read,   200",
      "GET,    /api/nodes,      read,   200",
      "GET,    /api/agents,     read,   200",
      "GET,    /api/tasks/{id}, read,   200",
      "GET,    /api/tasks/{id}/log, read, 200",
      "POST,   /api/tasks,      none,   401",
      "POST,   /api/tasks,      read,   403",
      "POST,   /api/tasks,      submit, 201",
      "POST,   /api/tasks,      admin,  201",
      "GET,    /api/tasks/{id}, submit, 200",
      "PATCH,  /api/tasks/{id}, none,   401",
      "PATCH,  /api/tasks/{id}, read,   403",
      "PATCH,  /api/tasks/{id}, submit, 403",
      "PATCH,  /api/tasks/{id}, admin,  200",
      "DELETE, /api/tasks/{id}, read,   403",
      "DELETE, /api/tasks/{id}, submit, 403",
      "DELETE, /api/tasks/{id}, admin,  204",
      "GET,    /health,         none,   200",
      "GET,    /ready,          none,   200",
      "GET,    /metrics,        none,   401",
      "GET,    /metrics,        read,   200",
      "GET,    /api/openapi.yaml, none, 200",
  })
  void eachRoleMayDoWhatItsRoleAllows(String method, String path, String role, int status) {
    long id = as("admin").submit(new JsonObject().put("type", "idle")).getLong("id");
    Api api = as(role);
    String target = path.replace("{id}", Long.toString(id));

    Api.Response r = switch (method) {
      case "GET" -> api.get(target);
      case "POST" -> api.post(target, "{\"type\": \"idle\"}");
      case "PATCH" -> api.patch(target, "{\"priority\": \"Important\"}");
      case "DELETE" -> api.delete(target);
      default -> throw new IllegalArgumentException(method);
    };

    assertThat(r.status()).as(r.text()).isEqualTo(status);
    if (status >= 400) {
      assertThat(r.json().getString("error")).contains(status == 401 ? "token" : "it needs");
      assertThat(as("admin").task(id).getString("priority")).as("a refused request changes nothing").isEqualTo("Normal");
    }
  }

  @Test
  void aRefusalSaysWhatIsMissing() {
    assertThat(anonymous.get("/api/tasks").json().getString("error"))
        .isEqualTo("this needs an API token: send the header 'Authorization: Bearer <token>'");
    assertThat(as("wrong").get("/api/tasks").json().getString("error")).isEqualTo("the API token is not valid here");
    assertThat(as("read").post("/api/tasks", "{\"type\": \"idle\"}").json().getString("error"))
        .isEqualTo("a token with the role 'read' may not do this: it needs 'submit'");
  }

  @Test
  void theTokenIsCheckedBeforeTheRequestIsValidated() {
    Api.Response r = anonymous.post("/api/tasks", "{not json");

    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void theCommandLineTakesItsTokenFromTheEnvironmentOrAnOption() throws Exception {
    Cli cli = Cli.of(node);

    Cli.Result without = cli.run("list");
    assertThat(without.exitCode()).as(without.toString()).isEqualTo(2);
    assertThat(without.err().strip()).isEqualTo("taskhub: this needs an API token: send the header "
        + "'Authorization: Bearer <token>' (set --token or TASKHUB_TOKEN)");

    Cli.Result read = cli.env("TASKHUB_TOKEN", READ).run("list");
    assertThat(read.exitCode()).as(read.toString()).isZero();
    Cli.Result submit = cli.run("submit", "idle", "--token", SUBMIT);
    assertThat(submit.exitCode()).as(submit.toString()).isZero();
  }

  @Test
  void aNodeOnANetworkAddressWithoutTokensRefusesToStart() throws Exception {
    TaskhubNode open = TaskhubNode.named("tokens-missing", dir).set("node.roles", "http").set("http.host", "0.0.0.0");

    TaskhubNode.Exit exit = open.startExpectingExit(seconds(60));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("refusing to serve the HTTP API on 0.0.0.0 without API tokens: set api.tokens")
        .doesNotContain("Exception");
  }

  @Test
  void aMalformedTokenEntryIsRefusedWithoutShowingTheToken() throws Exception {
    TaskhubNode bad = TaskhubNode.named("tokens-bad", dir).set("node.roles", "http")
        .set("api.tokens", ADMIN + ":admin,s3cr3t-value:root");

    TaskhubNode.Exit exit = bad.startExpectingExit(seconds(60));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("api.tokens entry 2 has the role 'root': use admin, submit or read")
        .doesNotContain("s3cr3t-value");
  }

  private Api as(String role) {
    return switch (role) {
      case "none" -> anonymous;
      case "wrong" -> anonymous.withToken("not-a-token");
      case "read" -> anonymous.withToken(READ);
      case "submit" -> anonymous.withToken(SUBMIT);
      case "admin" -> anonymous.withToken(ADMIN);
      default -> throw new IllegalArgumentException(role);
    };
  }
}
