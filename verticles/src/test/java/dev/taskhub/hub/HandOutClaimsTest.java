package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A claim whose agent never takes it (its request timed out, it stops, it hangs) goes back to the queue within
 * seconds, its attempt not counted — not after a whole lease; so does a task offered to a waiting agent that does not
 * take it. The "agent" here is the test, on the hub's event bus.
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

  @Test
  void aTaskRegisteredWhileAnAgentWaitsIsRunningForItWhenTheRegistrationAnswers() {
    assertThat(claim().body().containsKey("task")).isFalse(); // nothing to claim: agent-1 now waits at the hub
    CompletableFuture<Message<JsonObject>> offered = new CompletableFuture<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.agentOffer("agent-1"), offered::complete).completion().await();

    JsonObject registered = registerTask();

    assertThat(registered.getString("state")).isEqualTo("RUNNING");
    assertThat(registered.getString("agent")).isEqualTo("agent-1");
    assertThat(registered.getString("node")).isEqualTo("node-1");
    assertThat(registered.getInteger("attempts")).isEqualTo(1);
    Message<JsonObject> offer = offered.orTimeout(10, TimeUnit.SECONDS).join();
    Claim claim = Claim.fromJson(offer.body());
    assertThat(claim.task().id()).isEqualTo(registered.getLong("id"));
    assertThat(claim.fence()).isPositive();
    Message<JsonObject> go = offer.<JsonObject>replyAndRequest(new JsonObject().put("take", true)).await();
    assertThat(go.body()).isNotNull();

    // The offer carried a real lease: the agent's report under its token is taken, and another token's refused.
    long id = claim.task().id();
    vertx.eventBus().request(Addresses.REPORT, new ProgressReport(id, claim.leaseToken(), 0.5, "half", null, null).toJson()).await();
    assertThat(task(id).getDouble("progress")).isEqualTo(0.5);
    assertThatThrownBy(() -> vertx.eventBus().request(Addresses.REPORT,
        new ProgressReport(id, UUID.randomUUID().toString(), 0.6, null, null, null).toJson()).await())
        .hasMessageContaining("lease");
  }

  @Test
  void anOfferTheWaitingAgentDeclinesIsBackInTheQueueAtOnce() {
    claim();
    vertx.eventBus().<JsonObject>consumer(Addresses.agentOffer("agent-1"), offer -> offer.reply(new JsonObject().put("take", false)))
        .completion().await();

    long id = registerTask().getLong("id");

    await().atMost(Duration.ofSeconds(2)).until(() -> task(id).getString("state").equals("READY"));
    assertThat(task(id).getInteger("attempts")).isZero();
    assertThat(task(id).getString("agent")).isNull();
    assertThat(claim().body().getJsonObject("task").getLong("id")).isEqualTo(id); // and claimable as any READY task
  }

  @Test
  void anOfferToAWaitingAgentThatIsGoneIsBackInTheQueueAtOnce() {
    claim(); // agent-1 waits, then goes away: nothing listens on its offer address

    long id = registerTask().getLong("id");

    await().atMost(Duration.ofSeconds(2)).until(() -> task(id).getString("state").equals("READY"));
    assertThat(task(id).getInteger("attempts")).isZero();
  }

  @Test
  void aDelayedTaskABatchOrATaskWithNoWaitingAgentStaysReady() {
    assertThat(registerTask().getString("state")).as("no agent waits yet").isEqualTo("READY");
    claim(); // takes that task
    assertThat(claim("agent-2").body().containsKey("task")).isFalse(); // agent-2 waits
    vertx.eventBus().<JsonObject>consumer(Addresses.agentOffer("agent-2"), offer -> offer.reply(new JsonObject().put("take", false)));

    JsonObject delayed = vertx.eventBus().<JsonObject>request(Addresses.REGISTER, new JsonObject().put("type", "t")
        .put("runAt", Instant.now().plusSeconds(3600).toString())).await().body();
    JsonObject batch = vertx.eventBus().<JsonObject>request(Addresses.REGISTER, new JsonObject().put("tasks",
        new JsonArray().add(new JsonObject().put("type", "t")).add(new JsonObject().put("type", "t")))).await().body();
    JsonObject otherType = vertx.eventBus().<JsonObject>request(Addresses.REGISTER, new JsonObject().put("type", "u")).await().body();

    assertThat(delayed.getString("state")).isEqualTo("READY");
    assertThat(batch.getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("state"))).containsOnly("READY");
    assertThat(otherType.getString("state")).isEqualTo("READY");
  }

  private long register() {
    return registerTask().getLong("id");
  }

  private JsonObject registerTask() {
    return vertx.eventBus().<JsonObject>request(Addresses.REGISTER, new JsonObject().put("type", "t")).await().body();
  }

  private Message<JsonObject> claim() {
    return claim("agent-1");
  }

  private Message<JsonObject> claim(String agent) {
    return vertx.eventBus().<JsonObject>request(Addresses.CLAIM,
        new ClaimRequest(agent, "node-1", List.of("t")).toJson(), new DeliveryOptions().setSendTimeout(10_000)).await();
  }

  private JsonObject task(long id) {
    return vertx.eventBus().<JsonObject>request(Addresses.GET, new JsonObject().put("id", id)).await().body();
  }
}
