package dev.taskhub.node;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.AgentStatus;
import dev.taskhub.api.NodeHeartbeat;
import dev.taskhub.config.NodeSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs on every node: publishes the node's heartbeat (machine load, roles, its agents' statuses, its executors) every
 * {@code heartbeat.periodSeconds}, and soon after someone asks or an agent's status changes — at most four times a
 * second, so agents flipping between busy and idle on short tasks cost the cluster a few messages, not one per flip.
 * A node that starts draining says so at once, and a node that stops says so last.
 */
public class HeartbeatVerticle extends VerticleBase {
  private static final long MIN_GAP_MS = 250;
  private static final long EXECUTORS_SCAN_MS = 10_000;

  private final Function<Path, List<String>> installedExecutors;
  private String nodeId;
  private List<String> roles;
  private int periodSeconds;
  private final Instant startedAt = Instant.now();
  private final Map<String, AgentStatus> agents = new TreeMap<>();
  private List<String> executors = List.of();
  private long lastPublishedMs;
  private boolean pending;
  private boolean draining;

  /**
   * {@code installedExecutors}: the task types the agents find in an executors folder (the agent package's
   * InstalledExecutors, given by the launcher: the node's machine facts do not depend on the agents' code).
   */
  public HeartbeatVerticle(Function<Path, List<String>> installedExecutors) {
    this.installedExecutors = installedExecutors;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.from(config());
    nodeId = NodeIdentity.of(vertx, settings);
    roles = settings.roles().stream().map(Enum::name).toList();
    periodSeconds = settings.heartbeatPeriodSeconds();
    if (settings.runs(NodeSettings.Role.agents) && settings.agent().count() > 0) {
      // What the agents can run, for GET /api/types: read as the agents read it, about as often (they rescan every 10 s).
      Path dir = settings.executorsDir();
      vertx.setPeriodic(1, EXECUTORS_SCAN_MS, id -> vertx.executeBlocking(() -> installedExecutors.apply(dir))
          .onSuccess(types -> executors = types));
    }
    vertx.eventBus().<JsonObject>localConsumer(Addresses.AGENT_STATUS, msg -> {
      AgentStatus status = AgentStatus.fromJson(msg.body());
      if (nodeId.equals(status.node())) {
        agents.put(status.id(), status);
        publishSoon(); // coalesced: at most one heartbeat every MIN_GAP_MS
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT_REQUEST, msg -> publishSoon());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.NODE_DRAINING, msg -> {
      draining = true;
      publish();
    });
    vertx.setPeriodic(periodSeconds * 1000L, id -> publish());
    vertx.setTimer(500, id -> publish()); // once the agents said who they are
    return Future.succeededFuture();
  }

  private void publishSoon() {
    long wait = lastPublishedMs + MIN_GAP_MS - System.currentTimeMillis();
    if (wait <= 0) {
      publish();
    } else if (!pending) {
      pending = true;
      vertx.setTimer(wait, id -> {
        pending = false;
        publish();
      });
    }
  }

  @Override
  public Future<?> stop() {
    publish(true); // still in the cluster: the node stops its parts before it leaves
    return Future.succeededFuture();
  }

  private void publish() {
    publish(false);
  }

  private void publish(boolean stopped) {
    lastPublishedMs = System.currentTimeMillis();
    NodeHeartbeat beat = new NodeHeartbeat(nodeId, roles, Machine.cpuPercent(), Machine.totalMemoryMb(),
        Machine.freeMemoryMb(), List.copyOf(agents.values()), startedAt, Instant.now(), periodSeconds, draining, stopped,
        executors);
    vertx.eventBus().publish(Addresses.NODE_HEARTBEAT, beat.toJson());
  }
}
