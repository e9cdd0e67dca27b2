package dev.taskhub.supervisor;

import dev.taskhub.agent.AgentVerticle;
import dev.taskhub.agent.LeftoverWorkDirectories;
import dev.taskhub.api.Addresses;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@code agent.count} agents deployed on this node. Each agent is its own deployment (its own event-loop
 * context); once a second the supervisor checks that every slot's deployment is still alive and redeploys any
 * that is gone — failed, undeployed, or never started — with a backoff so a broken agent does not spin.
 * When the node drains ({@link Addresses#AGENTS_DRAIN}) it redeploys nothing more and answers once every agent has
 * let its attempt end; undeploying it then stops the agents, which kill and give back what still runs.
 */
public class SupervisorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SupervisorVerticle.class);
  private static final long CHECK_MS = 1000;

  private final List<Slot> slots = new ArrayList<>();
  private String nodeId;
  private int graceSeconds;
  private boolean draining;

  /** One agent position: its current deployment, and when it may be tried again after a failure. */
  private static final class Slot {
    final int index;
    String deploymentId;
    boolean deploying;
    long notBeforeMs;
    int failures;

    Slot(int index) {
      this.index = index;
    }
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.from(config());
    nodeId = NodeIdentity.of(vertx, settings);
    int count = settings.agent().count();
    graceSeconds = settings.shutdownGraceSeconds();
    vertx.eventBus().<JsonObject>localConsumer(Addresses.AGENTS_DRAIN, msg -> drain().onComplete(x -> msg.reply(new JsonObject())));
    Path workRoot = settings.dataDir().resolve("work");
    // Before any agent starts: what executors of a killed run of this node left in data.dir/work.
    return vertx.executeBlocking(() -> LeftoverWorkDirectories.sweep(workRoot))
        .onFailure(e -> log.warn("could not sweep {} for directories left by an earlier run: {}", workRoot, e.toString()))
        .transform(x -> {
          List<Future<?>> deployed = new ArrayList<>();
          for (int i = 1; i <= count; i++) {
            Slot slot = new Slot(i);
            slots.add(slot);
            deployed.add(deploy(slot));
          }
          vertx.setPeriodic(CHECK_MS, id -> check());
          return Future.join(deployed);
        })
        .map(x -> {
          log.info("supervisor on {} keeps {} agents", nodeId, count);
          return x;
        }).otherwise(x -> null); // a slot that failed is retried by check()
  }

  /** Asks every live agent to drain; done when all have answered (the caller bounds the wait with the grace). */
  private Future<?> drain() {
    if (!draining) {
      draining = true;
      log.info("{} drains: its {} agents claim nothing more; running tasks have {} s (node.shutdownGraceSeconds) to end",
          nodeId, agentDeployments().size(), graceSeconds);
    }
    // The request outlives the grace: whoever asked stops waiting when the grace runs out, not this timeout.
    DeliveryOptions untilDrained = new DeliveryOptions().setLocalOnly(true).setSendTimeout((graceSeconds + 60) * 1000L);
    List<Future<?>> agents = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.deploymentId != null && vertx.deploymentIDs().contains(slot.deploymentId)) {
        agents.add(vertx.eventBus().request(Addresses.agentDrain(agentId(slot)), new JsonObject(), untilDrained));
      }
    }
    return Future.join(agents);
  }

  private void check() {
    if (draining) {
      return; // an agent that ends now is not replaced
    }
    long now = System.currentTimeMillis();
    for (Slot slot : slots) {
      boolean alive = slot.deploymentId != null && vertx.deploymentIDs().contains(slot.deploymentId);
      if (!alive && !slot.deploying && now >= slot.notBeforeMs) {
        if (slot.deploymentId != null) {
          log.warn("agent {} of {} is gone; redeploying it", slot.index, nodeId);
        }
        deploy(slot);
      }
    }
  }

  private Future<String> deploy(Slot slot) {
    slot.deploying = true;
    slot.deploymentId = null;
    JsonObject config = config().copy().put("agent.id", agentId(slot));
    return vertx.deployVerticle(new AgentVerticle(), new DeploymentOptions().setConfig(config))
        .onSuccess(id -> {
          slot.deploymentId = id;
          slot.failures = 0;
          if (draining) { // it started as the node began to drain: it may have claimed already
            vertx.eventBus().request(Addresses.agentDrain(agentId(slot)), new JsonObject());
          }
        })
        .onFailure(e -> {
          slot.failures++;
          long backoff = Math.min(30_000, 1000L << Math.min(slot.failures, 5));
          slot.notBeforeMs = System.currentTimeMillis() + backoff;
          log.error("agent {} of {} failed to start ({}); next try in {} s", slot.index, nodeId, e.getMessage(), backoff / 1000);
        })
        .onComplete(x -> slot.deploying = false);
  }

  private String agentId(Slot slot) {
    return nodeId + "/agent-" + slot.index;
  }

  /** The deployment ids of the agents now alive, for tests and the monitor. */
  public List<String> agentDeployments() {
    return slots.stream().map(s -> s.deploymentId).filter(id -> id != null && vertx.deploymentIDs().contains(id)).toList();
  }
}
