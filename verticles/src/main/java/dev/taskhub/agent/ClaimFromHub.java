package dev.taskhub.agent;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Asks a hub for one task of the given types: the one place where an agent asks for work, so that claiming for all
 * agents of a node at once can replace it alone. A claim whose answer is lost (the send timed out) still holds its
 * task until the lease expires and a hub releases it: the task is late, never run twice.
 */
final class ClaimFromHub {
  private final Vertx vertx;
  private final String agentId;
  private final String nodeId;

  ClaimFromHub(Vertx vertx, String agentId, String nodeId) {
    this.vertx = vertx;
    this.agentId = agentId;
    this.nodeId = nodeId;
  }

  /** The claimed task, or null when there is none of these types; fails when no hub answered. */
  Future<Claim> next(List<String> types) {
    ClaimRequest request = new ClaimRequest(agentId, nodeId, types);
    return vertx.eventBus().<JsonObject>request(Addresses.CLAIM, request.toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .map(reply -> reply.body().containsKey("task") ? Claim.fromJson(reply.body()) : null);
  }
}
