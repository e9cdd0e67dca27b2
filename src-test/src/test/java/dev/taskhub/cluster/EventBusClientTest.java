package dev.taskhub.cluster;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import dev.taskhub.client.TaskhubClient;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An application in another JVM uses TaskhubClient over the clustered event bus: no HTTP, no tokens. */
@Timeout(180)
class EventBusClientTest {
  @TempDir
  Path dir;

  @Test
  void anApplicationInAnotherJvmRegistersFollowsProgressAndCancelsOverTheEventBus() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("steps", "for i in 1 2 3 4 5 6 7 8; do echo \"Progress: $((i * 12))%\"; sleep 0.3; done; echo 'ResultData: stepped'")
        .script("endless", "while true; do echo 'Progress: still here'; sleep 0.2; done");
    TestCluster cluster = new TestCluster(2);
    Vertx application = null;
    try (TaskhubNode node = TaskhubNode.named("event-bus-client", dir).cluster(cluster)
        .database(TestDatabase.createDatabase()).executors(executors.dir()).set("agent.count", 2).start()) {
      application = cluster.join();
      TaskhubClient taskhub = new TaskhubClient(application);

      Task steps = taskhub.register("steps", new JsonObject().put("from", "another JVM")).await();
      List<TaskEvent> events = new CopyOnWriteArrayList<>();
      TaskhubClient.TaskSubscription subscription = taskhub.subscribe(steps.id(), events::add).await();
      await().atMost(seconds(60)).until(() -> taskhub.get(steps.id()).await().state() == TaskState.DONE);
      await().atMost(seconds(10)).until(() -> events.stream().anyMatch(e -> e.task().state() == TaskState.DONE));
      subscription.close();

      assertThat(events).anyMatch(e -> e.kind().equals("progress") && e.task().progress() != null && e.task().progress() < 100);
      Task done = taskhub.get(steps.id()).await();
      assertThat(done.resultData()).isEqualTo("stepped");
      assertThat(done.data()).isEqualTo("{\"from\":\"another JVM\"}");

      List<Task> batch = taskhub.registerAll(List.of(TaskSpec.of("endless", new JsonObject()), TaskSpec.of("steps", new JsonObject()))).await();
      assertThat(batch).hasSize(2);
      long endless = batch.get(0).id();
      await().atMost(seconds(30)).until(() -> taskhub.get(endless).await().state() == TaskState.RUNNING);
      Task cancelled = taskhub.cancel(endless).await();
      assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);

      assertThatThrownBy(() -> taskhub.register("../x", new JsonObject()).await())
          .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST));
      assertThatThrownBy(() -> taskhub.get(999_999).await())
          .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND));
    } finally {
      if (application != null) {
        application.close().await();
      }
    }
  }
}
