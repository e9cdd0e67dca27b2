package dev.taskhub.security;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.SecondUser;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Executors confined by their executor.properties on a real node run as root (as CI runs): {@code user=} a second user
 * of the machine, {@code limits.*}; and what every executor is told: a reachable API URL and a token of least role.
 * The node binds every address (0.0.0.0), so it has tokens; its configuration files have the README's modes.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolatedExecutorTest {
  static final String ADMIN = "admin-isolation-5e1f0a9c7b";
  static final String SUBMIT = "submit-isolation-3c7d2b8e1f"; // executor.token
  static final String READ = "read-isolation-8a4f6e0d2c";     // in the tokens file, mode 600
  static final String AGENT_SECRET = "agent-secret-in-the-jvm-environment-7731";

  Path dir;
  SecondUser user;
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    this.dir = dir;
    user = SecondUser.ensure(); // skips the class, saying why, unless this JVM is root
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Path dataDir = Files.createDirectories(dir.resolve("taskhub-data"));
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x--x")); // README: data.dir 711
    Path tokens = Files.writeString(dir.resolve("tokens"), READ + ":read\n");
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));  // README: tokens files 600

    Executors executors = new Executors(dir.resolve("executors"))
        .script("isolated", """
            jvm=$(sed -n 's/.*"jvm":\\([0-9]*\\).*/\\1/p' "$TASKHUB_DATA_FILE")
            echo "uid=$(id -u) groups=$(id -G) nofile=$(ulimit -n)"
            echo "environ: $(cat /proc/$jvm/environ 2>&1 | tr '\\0' ' ')"
            echo "tokens file: $(cat '%s' 2>&1)"
            echo "data.dir: $(ls '%s' 2>&1)"
            echo hello > note.txt && echo "wrote: $(cat note.txt)"
            echo "data: $(cat "$TASKHUB_DATA_FILE")"
            """.formatted(tokens, dataDir))
        .properties("isolated", "user=" + user.name() + "\nlimits.openFiles=77\n")
        .script("caller", """
            echo "url=$TASKHUB_HUB_URL token=$TASKHUB_TOKEN"
            auth="Authorization: Bearer $TASKHUB_TOKEN"
            echo "list: $(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$TASKHUB_HUB_URL/api/tasks")"
            echo "delete: $(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "$auth" "$TASKHUB_HUB_URL/api/tasks/$TASKHUB_TASK_ID")"
            """)
        .properties("caller", "user=" + user.name() + "\n")
        .script("hog", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo \"survived ${#x}\"")
        .properties("hog", "limits.memoryMb=64\n")
        .script("ghost", "true")
        .properties("ghost", "user=no-such-user-taskhub\n");
    node = TaskhubNode.named("isolated-executors", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 2)
        .set("http.host", "0.0.0.0").set("api.tokens", ADMIN + ":admin," + SUBMIT + ":submit")
        .set("api.tokensFile", tokens).set("executor.token", SUBMIT)
        .env("AGENT_SECRET", AGENT_SECRET)
        .start();
    api = node.api().withToken(ADMIN);
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anExecutorRunAsAnotherUserReadsItsDataButNotTheAgentsEnvironmentNorTheNodesFiles() {
    JsonObject data = new JsonObject().put("jvm", node.pid());
    long id = api.submit(new JsonObject().put("type", "isolated").put("data", data)).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));
    String log = api.get("/api/tasks/" + id + "/log").json().getString("log");

    assertThat(task.getString("state")).as(log).isEqualTo("DONE");
    assertThat(log).contains("uid=" + user.uid() + " groups=" + user.gid() + " nofile=77\n")
        .contains("environ: cat: /proc/" + node.pid() + "/environ: Permission denied\n")
        .contains("tokens file: cat: " + dir.resolve("tokens") + ": Permission denied\n")
        .contains("data.dir: ls: cannot open directory '" + dir.resolve("taskhub-data") + "': Permission denied\n")
        .contains("wrote: hello\n")
        .contains("data: " + data.encode() + "\n")
        .doesNotContain(AGENT_SECRET).doesNotContain(READ).doesNotContain("TASKHUB_DB_URL");
  }

  @Test
  void anExecutorGetsAWorkingHubUrlAndATokenThatMaySubmitButNotDelete() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "the executor calls the API with curl");
    long id = api.submit(new JsonObject().put("type", "caller")).getLong("id");

    api.awaitEnd(id, seconds(30));
    String log = api.get("/api/tasks/" + id + "/log").json().getString("log");

    // 0.0.0.0 is no address to call: executors are told cluster.host (here 127.0.0.1).
    assertThat(log).contains("url=http://127.0.0.1:" + node.port() + " token=" + SUBMIT + "\n")
        .contains("list: 200\n").contains("delete: 403\n");
  }

  @Test
  void aMemoryHungryExecutorFailsItsAttemptUnderLimitsMemoryMb() {
    long id = api.submit(new JsonObject().put("type", "hog")).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("ERROR");
    assertThat(String.valueOf(api.get("/api/tasks/" + id + "/log").json().getString("log"))).doesNotContain("survived");
  }

  @Test
  void anExecutorWhoseUserDoesNotExistIsUnavailableWithALogLine() {
    node.awaitLog("executor 'ghost' is unavailable on this node: user 'no-such-user-taskhub' does not exist on this node",
        Duration.ofSeconds(30));
  }

  @Test
  void anAdminExecutorTokenStopsTheNodeAtStart() throws Exception {
    TaskhubNode refused = TaskhubNode.named("admin-executor-token", Files.createDirectories(dir.resolve("refused")))
        .database(TestDatabase.createDatabase()).set("api.tokens", ADMIN + ":admin").set("executor.token", ADMIN);

    TaskhubNode.Exit exit = refused.startExpectingExit(seconds(60));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("executor.token has the role admin").doesNotContain(ADMIN);
  }

  @Test
  void onANodeThatIsNotRootAnExecutorWithAUserFailsItsAttemptSayingWhy() throws Exception {
    // The node runs as the second user; its executor asks for yet another (nobody): that needs root.
    Path home = Files.createDirectories(dir.resolve("unprivileged"));
    Executors executors = new Executors(home.resolve("executors")).script("as-nobody", "echo ran").properties("as-nobody", "user=nobody\n");
    for (Path p : new Path[] {home, home.resolve("executors"), home.resolve("executors/as-nobody")}) {
      Files.setAttribute(p, "unix:uid", user.uid());
    }
    try (TaskhubNode plain = TaskhubNode.named("not-root", home).runAs(user.name()).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).start()) {
      Api open = plain.api();
      long id = open.submit(new JsonObject().put("type", "as-nobody").put("maxAttempts", 1)).getLong("id");

      JsonObject task = open.awaitEnd(id, seconds(30));

      assertThat(task.getString("state")).isEqualTo("ERROR");
      assertThat(task.getInteger("attempts")).isEqualTo(1);
      assertThat(task.getJsonObject("error").getString("type")).isEqualTo("ExecutorStartFailed");
      assertThat(task.getJsonObject("error").getString("message")).contains("executor 'as-nobody' has user=nobody in its "
          + "executor.properties, but running an executor as another user needs the node to run as root");
    }
  }

  @Test
  void aNodeWithTheCapabilitiesInsteadOfRootRunsExecutorsAsOtherUsersAndPassesNoneOfThemOn() throws Exception {
    // As systemd's User=taskhub with AmbientCapabilities=: such a node's capabilities survive its own change of user,
    // so the executor would keep CAP_SETUID (and could become root) unless the launcher clears them.
    Path home = Files.createDirectories(dir.resolve("capable"));
    Executors executors = new Executors(home.resolve("executors"))
        .script("as-nobody", "echo \"uid=$(id -u)\"; grep -E '^Cap(Prm|Eff|Amb):' /proc/self/status")
        .properties("as-nobody", "user=nobody\n");
    Files.setAttribute(home, "unix:uid", user.uid());
    for (String spawner : new String[] {"native", "java"}) {
      try (TaskhubNode capable = TaskhubNode.named("capable-" + spawner, home).runAs(user.name(), "setuid,setgid,chown,kill,dac_override")
          .database(TestDatabase.createDatabase()).executors(executors.dir()).set("agent.count", 1)
          .set("agent.spawner", spawner).start()) {
        Api open = capable.api();
        long id = open.submit(new JsonObject().put("type", "as-nobody")).getLong("id");

        JsonObject task = open.awaitEnd(id, seconds(30));
        String log = open.get("/api/tasks/" + id + "/log").json().getString("log");

        assertThat(task.getString("state")).as(spawner + ": " + task.encode()).isEqualTo("DONE");
        assertThat(log).as(spawner).contains("uid=65534\n").contains("CapPrm:\t0000000000000000\n")
            .contains("CapEff:\t0000000000000000\n").contains("CapAmb:\t0000000000000000\n");
      }
    }
  }
}
