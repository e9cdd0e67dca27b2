package dev.taskhub.node;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.AgentStatus;
import dev.taskhub.api.NodeHeartbeat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this JVM knows of every node in the cluster, built from their heartbeats and their agents' statuses.
 * A node silent for three heartbeat periods is shown as gone, not dropped: an operator wants to see what left.
 * After {@link #FORGET_AFTER} of silence it is forgotten with its agents, or the directory would grow with every
 * node that ever started (a restarted node has a new id). Used from one event-loop context (the verticle that
 * created it).
 */
public final class NodeDirectory {
  /** How long a gone node stays listed: a night's departures are still there in the morning. */
  public static final Duration FORGET_AFTER = Duration.ofHours(12);

  private final String selfId;
  private final Clock clock;
  private final Map<String, NodeHeartbeat> nodes = new LinkedHashMap<>();
  private final Map<String, AgentStatus> agents = new LinkedHashMap<>();

  NodeDirectory(String selfId, Clock clock) {
    this.selfId = selfId;
    this.clock = clock;
  }

  /** Subscribes on the calling verticle's context and asks every node for a heartbeat now. */
  public static NodeDirectory start(Vertx vertx, String selfId) {
    NodeDirectory directory = new NodeDirectory(selfId, Clock.systemUTC());
    vertx.eventBus().<JsonObject>consumer(Addresses.NODE_HEARTBEAT, msg -> directory.heartbeat(NodeHeartbeat.fromJson(msg.body())));
    vertx.eventBus().publish(Addresses.HEARTBEAT_REQUEST, new JsonObject());
    return directory;
  }

  void heartbeat(NodeHeartbeat beat) {
    forgetLongGone(clock.instant());
    nodes.put(beat.id(), beat);
    agents.values().removeIf(a -> a.node().equals(beat.id()) && beat.agents().stream().noneMatch(b -> b.id().equals(a.id())));
    for (AgentStatus a : beat.agents()) {
      AgentStatus known = agents.get(a.id());
      if (known == null || !known.since().isAfter(a.since())) {
        agents.put(a.id(), a);
      }
    }
  }

  /** Drops the nodes silent for longer than {@link #FORGET_AFTER}, and their agents. */
  private void forgetLongGone(Instant now) {
    nodes.values().removeIf(beat -> Duration.between(beat.at(), now).compareTo(FORGET_AFTER) > 0);
    agents.values().removeIf(a -> !nodes.containsKey(a.node())
        && Duration.between(a.since(), now).compareTo(FORGET_AFTER) > 0);
  }

  /** Stopped (it said so as it stopped), or silent for three heartbeat periods. */
  public boolean isGone(NodeHeartbeat beat, Instant now) {
    return beat.stopped() || Duration.between(beat.at(), now).toMillis() > 3000L * beat.periodSeconds() + 1000;
  }

  /** {@code {"nodes":[{"id","self","gone","draining","cpu","memory","agents":{"total","busy","idle"},"roles",…}]}}. */
  public JsonObject nodesJson() {
    Instant now = clock.instant();
    forgetLongGone(now);
    JsonArray list = new JsonArray();
    for (NodeHeartbeat beat : nodes.values()) {
      long busy = agents.values().stream().filter(a -> a.node().equals(beat.id()) && AgentStatus.BUSY.equals(a.state())).count();
      long total = agents.values().stream().filter(a -> a.node().equals(beat.id())).count();
      JsonObject json = beat.toJson();
      json.remove("agents");
      json.put("self", beat.id().equals(selfId))
          .put("gone", isGone(beat, now))
          .put("lastHeartbeat", beat.at().toString())
          .put("agents", new JsonObject().put("total", total).put("busy", busy).put("idle", total - busy));
      list.add(json);
    }
    return new JsonObject().put("nodes", list);
  }

  /** Every task type some node that is not gone has an executor for, by name. */
  public Set<String> executorTypes() {
    Instant now = clock.instant();
    Set<String> types = new TreeSet<>();
    nodes.values().stream().filter(beat -> !isGone(beat, now)).forEach(beat -> types.addAll(beat.executors()));
    return types;
  }

  /** The nodes, not gone, whose agents have an executor for {@code type}. */
  public List<String> executorNodes(String type) {
    Instant now = clock.instant();
    return nodes.values().stream().filter(beat -> !isGone(beat, now) && beat.executors().contains(type))
        .map(NodeHeartbeat::id).toList();
  }

  /**
   * Where a type runs and could run, as the heartbeats tell it: {@code [{"id", "executor", "running", "gone"}]} for
   * every node that has an executor for it or whose agents run it now ({@code running}: its busy agents on that type,
   * as of their last status, a few hundred ms old at most).
   */
  public JsonArray typeNodes(String type) {
    Instant now = clock.instant();
    forgetLongGone(now);
    JsonArray list = new JsonArray();
    for (NodeHeartbeat beat : nodes.values()) {
      long running = agents.values().stream().filter(a -> a.node().equals(beat.id()) && AgentStatus.BUSY.equals(a.state())
          && type.equals(a.taskType())).count();
      boolean executor = beat.executors().contains(type);
      if (executor || running > 0) {
        list.add(new JsonObject().put("id", beat.id()).put("executor", executor).put("running", running)
            .put("gone", isGone(beat, now)));
      }
    }
    return list;
  }

  /** Agents by (node, state): {@code idle}, {@code busy}, or {@code gone} when their node fell silent. */
  public Map<List<String>, Long> agentCounts() {
    Instant now = Instant.now();
    Map<List<String>, Long> counts = new java.util.TreeMap<>(java.util.Comparator.comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> k.get(1)));
    for (AgentStatus a : agents.values()) {
      NodeHeartbeat node = nodes.get(a.node());
      String state = node != null && isGone(node, now) ? "gone" : a.state();
      counts.merge(List.of(a.node(), state), 1L, Long::sum);
    }
    return counts;
  }

  /** {@code {"agents":[{"id","node","state","taskId","taskType","since","nodeGone"}]}}. */
  public JsonObject agentsJson() {
    Instant now = clock.instant();
    forgetLongGone(now);
    JsonArray list = new JsonArray();
    for (AgentStatus a : agents.values()) {
      NodeHeartbeat node = nodes.get(a.node());
      list.add(a.toJson().put("nodeGone", node != null && isGone(node, now)));
    }
    return new JsonObject().put("agents", list);
  }
}
