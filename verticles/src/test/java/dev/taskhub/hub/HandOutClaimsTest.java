package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A claim whose agent never takes it (its request timed out, it stops, it hangs) goes back to the queue within
 * seconds, its attempt not counted — not after a whole lease. The "agent" here is the test, on the hub's event bus.
 */
@Timeout(60)
@ExtendWith(TestDatabase.class)
class HandOutClaimsTest {
  Vertx vertx = Vertx.vertx();

  @BeforeEach
  void hub(TestDatabase.Fresh database, @TempDir Path dir) {
    JsonObject config = new JsonObject().put("db.url", database.url()).put("data.dir", dir.toString())
        .put("agent.leasePeriodSeconds", 60);
    vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aClaimThatIsNeverTakenIsReleasedWithinSecondsAndItsAttemptNotCounted() {
    long id = register();
    Message<JsonObject> claim = claim();
    assertThat(claim.body().getJsonObject("task").getLong("id")).isEqualTo(id);
    assertThat(task(id).getString("state")).isEqualTo("RUNNING");

    // The agent says nothing: it timed out, or it hangs.
    await().atMost(Duration.ofSeconds(HandOutClaims.HANDSHAKE_MS / 1000 + 5))
        .until(() -> task(id).getString("state").equals("READY"));
    assertThat(task(id).getInteger("attempts")).isZero();
  }

  @Test
  void aStoppingAgentDeclinesAndTheTaskIsBackAtOnce() {
    long id = register();
    Message<JsonObject> claim = claim();

    claim.reply(new JsonObject().put("take", false));

    await().atMost(Duration.ofSeconds(2)).until(() -> task(id).getString("state").equals("READY"));
    assertThat(task(id).getInteger("attempts")).isZero();
  }

  @Test
  void aTakenClaimIsConfirmedAndStaysTheAgents() {
    long id = register();
    Message<JsonObject> claim = claim();

    Message<JsonObject> go = claim.<JsonObject>replyAndRequest(new JsonObject().put("take", true)).await();

    assertThat(go.body()).isNotNull();
    assertThat(task(id).getString("state")).isEqualTo("RUNNING");
    assertThat(task(id).getInteger("attempts")).isEqualTo(1);
  }

  private long register() {
    return vertx.eventBus().<JsonObject>request(Addresses.REGISTER, new JsonObject().put("type", "t")).await().body().getLong("id");
  }

  private Message<JsonObject> claim() {
    return vertx.eventBus().<JsonObject>request(Addresses.CLAIM,
        new ClaimRequest("agent-1", "node-1", List.of("t")).toJson(), new DeliveryOptions().setSendTimeout(10_000)).await();
  }

  private JsonObject task(long id) {
    return vertx.eventBus().<JsonObject>request(Addresses.GET, new JsonObject().put("id", id)).await().body();
  }
}
