package dev.taskhub.agent;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Asks a hub for one task of the given types: the one place where an agent asks for work. A claimed task changes
 * hands with a handshake (see the hub's HandOutClaims): the agent takes it, and may start its executor only once the
 * hub confirms. An agent that is stopping declines, and the hub gives the task back at once; a confirmation that does
 * not come means the hub gave it back (or will, when it hears nothing): this agent must not run it.
 */
final class ClaimFromHub {
  private static final long HANDSHAKE_MS = 5_000;

  private final Vertx vertx;
  private final String agentId;
  private final String nodeId;
  private final BooleanSupplier stopping;

  ClaimFromHub(Vertx vertx, String agentId, String nodeId, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.agentId = agentId;
    this.nodeId = nodeId;
    this.stopping = stopping;
  }

  /** The claimed task, or null when there is none of these types; fails when no hub answered or confirmed. */
  Future<Claim> next(List<String> types) {
    ClaimRequest request = new ClaimRequest(agentId, nodeId, types);
    return vertx.eventBus().<JsonObject>request(Addresses.CLAIM, request.toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .compose(reply -> reply.body().containsKey("task") ? take(reply, Claim.fromJson(reply.body())) : Future.succeededFuture(null));
  }

  /**
   * Takes a claimed task from a hub's message — its answer to a claim, or its offer of a task registered while this
   * agent waited ({@link Addresses#agentOffer}), {@code claim} read from it — and waits for the hub's confirmation; null
   * when this agent stops.
   */
  Future<Claim> take(Message<JsonObject> handed, Claim claim) {
    if (stopping.getAsBoolean()) {
      handed.reply(new JsonObject().put("take", false));
      return Future.succeededFuture(null);
    }
    return handed.<JsonObject>replyAndRequest(new JsonObject().put("take", true), new DeliveryOptions().setSendTimeout(HANDSHAKE_MS))
        .map(go -> claim)
        .onFailure(e -> giveBack(claim, e));
  }

  /**
   * No confirmation: the hub that claimed died, or gave the task back already. Either way this agent must not run it;
   * it gives it back itself through any hub, so a hub that died mid-way costs the task no lease and no attempt.
   */
  private void giveBack(Claim claim, Throwable why) {
    vertx.eventBus().request(Addresses.RELEASE, new JsonObject().put("id", claim.task().id())
        .put("leaseToken", claim.leaseToken())
        .put("reason", "agent " + agentId + " had no confirmation of its claim (" + why.getMessage() + ")"));
  }
}
