package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.store.ReleaseTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Answers idle agents' claims. Claims that arrive while one is being written share the next statement
 * ({@link Batcher}). A claimed task changes hands with a handshake: the hub sends the claim, the agent takes it, the hub
 * confirms, and only then does the agent start the executor. A claim the agent does not take in time — its request
 * timed out, it is stopping, it hangs — is released at once, its attempt not counted, instead of staying RUNNING under a
 * lease nobody holds; and since the agent waits for the confirmation, a late taker never runs a task the hub gave back.
 *
 * <p>An agent whose claim found nothing waits ({@link WaitingAgents}); a single task registered meanwhile is made
 * RUNNING for it by the registration's own INSERT and offered to it on {@link Addresses#agentOffer} with the same
 * handshake ({@link #offer}): one statement and one commit from registration to start instead of three steps.
 */
final class HandOutClaims {
  private static final Logger log = LoggerFactory.getLogger(HubVerticle.class); // the hub's lines, in one place
  static final long HANDSHAKE_MS = 5_000;
  private static final int MAX_BATCH = 100;

  /** Claims up to one task for each request of a batch (all for the same types), in their order; null where none. */
  interface Claimer {
    Future<List<Claim>> claim(List<ClaimRequest> requests, int leaseSeconds);
  }

  private final Vertx vertx;
  private final ReleaseTasks releases;
  private final Replies replies;
  private final Consumer<Task> claimed;
  private final BiConsumer<Task, String> released;
  private final Batcher<List<String>, ClaimRequest, Claim> batcher;
  private final WaitingAgents waiting = new WaitingAgents();

  /** {@code claimed}: a task was claimed; {@code released}: a claim not taken was given back, and why. */
  HandOutClaims(Vertx vertx, Claimer claims, ReleaseTasks releases, int leaseSeconds, Replies replies, Consumer<Task> claimed,
                BiConsumer<Task, String> released) {
    this.vertx = vertx;
    this.releases = releases;
    this.replies = replies;
    this.claimed = claimed;
    this.released = released;
    this.batcher = new Batcher<>(ClaimRequest::types, (types, requests) -> claims.claim(requests, leaseSeconds), MAX_BATCH);
  }

  void onClaim(Message<JsonObject> msg) {
    ClaimRequest request;
    try {
      request = ClaimRequest.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(Failure.BAD_REQUEST.code, "malformed claim: " + e.getMessage());
      return;
    }
    waiting.claiming(request.agent());
    batcher.add(request).onComplete(ar -> {
      if (ar.failed()) {
        replies.fail(msg, ar.cause());
      } else if (ar.result() == null) {
        waiting.waiting(request);
        msg.reply(new JsonObject());
      } else {
        claimed.accept(ar.result().task());
        handOver(msg.replyAndRequest(ar.result().toJson(), new DeliveryOptions().setSendTimeout(HANDSHAKE_MS)),
            request, ar.result());
      }
    });
  }

  /** An agent waiting here for a task of this type (it leaves the waiting list), or null: none is known to. */
  ClaimRequest waitingAgentFor(String type) {
    return waiting.take(type);
  }

  /**
   * Offers {@code agent} the task that its registration made RUNNING for it, with the handshake of a claim: the agent
   * takes it and starts once confirmed, or the task is back in the queue within {@link #HANDSHAKE_MS} at the latest (at
   * once when the agent declines, is gone, or its node left).
   */
  void offer(ClaimRequest agent, Claim claim) {
    handOver(vertx.eventBus().request(Addresses.agentOffer(agent.agent()), claim.toJson(),
        new DeliveryOptions().setSendTimeout(HANDSHAKE_MS)), agent, claim);
  }

  private void handOver(Future<Message<JsonObject>> sent, ClaimRequest request, Claim claim) {
    sent
        .onSuccess(taken -> {
          if (taken.body() != null && taken.body().getBoolean("take", false)) {
            taken.reply(new JsonObject()); // go
          } else {
            giveBack(claim, "its agent " + request.agent() + " declined it (stopping, or no longer idle)");
          }
        })
        .onFailure(e -> giveBack(claim, "its agent " + request.agent() + " did not take it (" + e.getMessage() + ")"));
  }

  private void giveBack(Claim claim, String reason) {
    releases.byAgent(claim.task().id(), claim.leaseToken(), reason)
        .onSuccess(task -> released.accept(task, reason))
        .onFailure(e -> log.warn("could not release task {} whose claim was not taken ({}); its lease will expire",
            claim.task().id(), e.getMessage()));
  }
}
