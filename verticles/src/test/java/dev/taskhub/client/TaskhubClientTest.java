package dev.taskhub.client;

import dev.taskhub.agent.AgentVerticle;
import dev.taskhub.api.Addresses;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import dev.taskhub.hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The event-bus client against a real hub and agent in one (non-clustered) Vert.x, as an application on the
 * cluster would use it. The same calls work from another JVM once that JVM joins the cluster (see ClientExample).
 */
@Timeout(120)
class TaskhubClientTest {
  @TempDir
  static Path dir;
  static EmbeddedPostgres postgres;
  static Vertx vertx;
  static TaskhubClient taskhub;

  @BeforeAll
  static void startHubAndAgent() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    Path executors = Files.createDirectories(dir.resolve("executors"));
    script(executors, "counts", "for p in 25 50 75; do echo \"Progress: $p%\"; sleep 0.3; done; echo 'ResultData: counted'");
    script(executors, "sleeps", "echo $$ > \"" + dir.resolve("sleeps.pid") + "\"; echo started; sleep 60");
    JsonObject config = new JsonObject()
        .put("db.url", "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres")
        .put("executors.dir", executors.toString())
        .put("data.dir", dir.resolve("data").toString())
        .put("node.id", "client-test");
    vertx = Vertx.vertx();
    vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(config)).await();
    vertx.deployVerticle(new AgentVerticle(), new DeploymentOptions().setConfig(config)).await();
    taskhub = new TaskhubClient(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aRegisteredTaskCanBeReadBackAndRuns() {
    Task task = taskhub.register("counts", new JsonObject().put("n", 3)).await();

    assertThat(task.type()).isEqualTo("counts");
    assertThat(taskhub.get(task.id()).await().data()).isEqualTo("{\"n\":3}");
    assertThat(awaitEnd(task.id()).state()).isEqualTo(TaskState.DONE);
  }

  @Test
  void aSubscriberSeesProgressAndTheEndAndIsThenUnsubscribed() {
    Task task = taskhub.register(TaskSpec.fromJson(new JsonObject().put("type", "counts").put("delaySeconds", 1),
        TaskSpec.DEFAULT_MAX_DATA_BYTES)).await();
    List<TaskEvent> events = new CopyOnWriteArrayList<>();

    TaskhubClient.TaskSubscription subscription = taskhub.subscribe(task.id(), events::add).await();

    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty() && events.get(events.size() - 1).task().state().isFinal());
    assertThat(events).extracting(TaskEvent::kind).contains("progress", "state");
    assertThat(events).allMatch(e -> e.task().id() == task.id());
    assertThat(events.get(events.size() - 1).task().state()).isEqualTo(TaskState.DONE);
    assertThat(events.get(events.size() - 1).task().resultData()).isEqualTo("counted");
    subscription.close(); // already closed by the final state: closing again is harmless
  }

  @Test
  void aBatchIsRegisteredAllOrNothing() {
    TaskSpec good = TaskSpec.fromJson(new JsonObject().put("type", "counts").put("tag", "batch"), TaskSpec.DEFAULT_MAX_DATA_BYTES);
    TaskSpec bad = TaskSpec.fromJson(new JsonObject().put("type", "counts").put("tag", "batch")
        .put("dependsOn", new JsonArray().add(987654321)), TaskSpec.DEFAULT_MAX_DATA_BYTES);

    TaskhubException refused = catchThrowableOfType(TaskhubException.class, () -> taskhub.registerAll(List.of(good, bad)).await());

    assertThat(refused.failure()).isEqualTo(Failure.BAD_REQUEST);
    assertThat(refused.getMessage()).contains("987654321");
    assertThat(tasksTagged("batch")).isEmpty();
    List<Task> both = taskhub.registerAll(List.of(good, good)).await();
    assertThat(both).hasSize(2).extracting(Task::type).containsOnly("counts");
    assertThat(tasksTagged("batch")).hasSize(2);
  }

  @Test
  void cancellingARunningTaskKillsItsExecutorAndItStaysCancelled() throws Exception {
    Task task = taskhub.register("sleeps", new JsonObject()).await();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("sleeps.pid"))
        && taskhub.get(task.id()).await().state() == TaskState.RUNNING);
    long pid = Long.parseLong(Files.readString(dir.resolve("sleeps.pid")).trim());

    Task cancelled = taskhub.cancel(task.id()).await();

    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    // the agent is free again, and recorded nothing over the cancellation
    assertThat(awaitEnd(taskhub.register("counts", new JsonObject()).await().id()).state()).isEqualTo(TaskState.DONE);
    assertThat(taskhub.get(task.id()).await().state()).isEqualTo(TaskState.CANCELLED);
    TaskhubException again = catchThrowableOfType(TaskhubException.class, () -> taskhub.cancel(task.id()).await());
    assertThat(again.failure()).isEqualTo(Failure.CONFLICT);
    assertThat(again.getMessage()).contains("is CANCELLED");
  }

  @Test
  void anUnknownTaskIsNotFound() {
    TaskhubException refused = catchThrowableOfType(TaskhubException.class, () -> taskhub.get(999_999_999).await());

    assertThat(refused.failure()).isEqualTo(Failure.NOT_FOUND);
  }

  private static Task awaitEnd(long id) {
    Task[] last = new Task[1];
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> (last[0] = taskhub.get(id).await()).state().isFinal());
    return last[0];
  }

  private static JsonArray tasksTagged(String tag) {
    return vertx.eventBus().<JsonObject>request(Addresses.LIST, new JsonObject().put("tag", tag)).await().body().getJsonArray("tasks");
  }

  private static void script(Path executors, String type, String body) throws Exception {
    Path file = Files.createDirectories(executors.resolve(type)).resolve(type);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
