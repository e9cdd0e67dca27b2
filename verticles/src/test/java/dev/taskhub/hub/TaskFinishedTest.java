package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An ending that nothing finalizes has no finalization row (0007.sql): the hub that records it publishes it on
 * {@code taskhub.tasks.finished} itself, with the task's data, once.
 */
@Timeout(60)
@ExtendWith(TestDatabase.class)
class TaskFinishedTest {
  Vertx vertx = Vertx.vertx();

  @BeforeEach
  void hub(TestDatabase.Fresh database, @TempDir Path dir) {
    JsonObject config = new JsonObject().put("db.url", database.url()).put("data.dir", dir.toString());
    vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aTaskThatEndsByItsRunIsPublishedAsFinishedOnce() throws Exception {
    List<JsonObject> finished = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.TASK_FINISHED, msg -> finished.add(msg.body())).completion().await();
    vertx.eventBus().request(Addresses.REGISTER, new JsonObject().put("type", "t").put("data", new JsonObject().put("n", 7))).await();
    Message<JsonObject> reply = vertx.eventBus().<JsonObject>request(Addresses.CLAIM,
        new ClaimRequest("agent-1", "node-1", List.of("t")).toJson()).await();
    Claim claim = Claim.fromJson(reply.body());
    reply.<JsonObject>replyAndRequest(new JsonObject().put("take", true)).await();

    vertx.eventBus().request(Addresses.COMPLETE, new CompletionReport(claim.task().id(), claim.leaseToken(), true, 0,
        "ok", null, null, null, null).toJson()).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 1);
    Thread.sleep(1500); // the finalizer sweep runs every second: it must find nothing to publish again
    assertThat(finished).hasSize(1);
    assertThat(finished.get(0).getString("state")).isEqualTo("DONE");
    assertThat(finished.get(0).getJsonObject("data").getInteger("n")).isEqualTo(7);
  }
}
