package dev.taskhub.hub;

import dev.taskhub.api.ClaimRequest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agents whose last claim at this hub found nothing: each sleeps until an announcement, so a new task of its
 * types can go to it straight from the registration ({@link HandOutClaims#offer}) instead of through an announcement
 * and a claim. What this hub knows may be stale — the agent claimed at another hub since, stopped, or its node left —
 * so an offer is only an offer: the agent takes it with the claim's handshake or the task goes back to the queue. An
 * agent leaves this list when it claims here again or is offered a task; the oldest waiter is offered first. Used from
 * the hub's event loop only.
 */
final class WaitingAgents {
  private final Map<String, ClaimRequest> byAgent = new LinkedHashMap<>();

  /** The agent's claim found nothing: it waits for work of its types. */
  void waiting(ClaimRequest request) {
    byAgent.put(request.agent(), request);
  }

  /** The agent claims again: it is no longer waiting, whatever the claim brings. */
  void claiming(String agent) {
    byAgent.remove(agent);
  }

  /** Takes the agent that has waited longest for this type, or null when none waits here. */
  ClaimRequest take(String type) {
    for (Iterator<ClaimRequest> it = byAgent.values().iterator(); it.hasNext(); ) {
      ClaimRequest agent = it.next();
      if (agent.types().contains(type)) {
        it.remove();
        return agent;
      }
    }
    return null;
  }
}
