package dev.taskhub.supervisor;

import dev.taskhub.api.Addresses;
import dev.taskhub.hub.HubVerticle;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's agents as they drain, against a real hub and PostgreSQL in one Vert.x: the node's launcher asks the
 * supervisor ({@link Addresses#AGENTS_DRAIN}), waits at most the grace, then undeploys it.
 */
@Timeout(90)
@ExtendWith(TestDatabase.class)
class DrainTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir
  Path dir;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void drainingAgentsLetTheirTaskEndAndRecordItThenClaimNothingMore(TestDatabase.Fresh db) throws Exception {
    Path gate = dir.resolve("gate");
    start(db, 2, "gated", "while [ ! -e '" + gate + "' ]; do echo 'Progress: waiting'; sleep 0.1; done; echo 'ResultData: let through'");
    long running = register("gated");
    awaitState(running, "RUNNING");

    Future<Message<Object>> drained = vertx.eventBus().request(Addresses.AGENTS_DRAIN, new JsonObject(),
        new DeliveryOptions().setSendTimeout(60_000));
    long waiting = register("gated"); // an idle agent is there, but it drains: the task waits for another node
    Thread.sleep(1500);
    assertThat(get(waiting).getString("state")).isEqualTo("READY");
    assertThat(drained.isComplete()).as("drained while a task still runs").isFalse();

    Files.createFile(gate);

    await().atMost(Duration.ofSeconds(20)).until(drained::isComplete);
    assertThat(drained.succeeded()).isTrue();
    JsonObject done = get(running); // recorded before the drain was answered
    assertThat(done.getString("state")).isEqualTo("DONE");
    assertThat(done.getInteger("attempts")).isEqualTo(1);
    assertThat(done.getString("resultData")).isEqualTo("let through");
    assertThat(get(waiting).getString("state")).isEqualTo("READY");
  }

  @Test
  void whatStillRunsWhenTheSupervisorStopsIsKilledAndReleasedWithoutCountingAnAttempt(TestDatabase.Fresh db) throws Exception {
    String supervisor = start(db, 1, "endless", "echo $$ > '" + dir.resolve("endless.pid") + "'; while true; do echo 'Progress: on'; sleep 0.2; done");
    long id = register("endless");
    awaitState(id, "RUNNING");
    vertx.eventBus().request(Addresses.AGENTS_DRAIN, new JsonObject());
    Thread.sleep(500); // the grace, in short

    vertx.undeploy(supervisor).await();

    JsonObject task = get(id);
    assertThat(task.getString("state")).isEqualTo("READY");
    assertThat(task.getInteger("attempts")).isZero();
    assertThat(request(Addresses.LOG, new JsonObject().put("id", id)).getString("log"))
        .contains("released: agent drain-test/agent-1 stopped: its node shut down before the task ended (node.shutdownGraceSeconds 30)");
    long pid = Long.parseLong(Files.readString(dir.resolve("endless.pid")).trim());
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  /** A hub and a supervisor of {@code agents} agents with one executor; returns the supervisor's deployment. */
  private String start(TestDatabase.Fresh db, int agents, String type, String script) throws Exception {
    Path executors = Files.createDirectories(dir.resolve("executors"));
    Path file = Files.createDirectories(executors.resolve(type)).resolve(type);
    Files.writeString(file, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    JsonObject config = new JsonObject().put("db.url", db.url()).put("executors.dir", executors.toString())
        .put("data.dir", dir.resolve("data").toString()).put("node.id", "drain-test").put("agent.count", agents);
    vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(config)).await();
    return vertx.deployVerticle(new SupervisorVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  private long register(String type) {
    return request(Addresses.REGISTER, new JsonObject().put("type", type)).getLong("id");
  }

  private JsonObject get(long id) {
    return request(Addresses.GET, new JsonObject().put("id", id));
  }

  private void awaitState(long id, String state) {
    await().atMost(Duration.ofSeconds(20)).until(() -> get(id).getString("state").equals(state));
  }

  private JsonObject request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).await().body();
  }
}
