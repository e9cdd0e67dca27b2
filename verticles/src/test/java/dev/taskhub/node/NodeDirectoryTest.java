package dev.taskhub.node;

import dev.taskhub.api.AgentStatus;
import dev.taskhub.api.NodeHeartbeat;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The nodes an API or monitor shows: gone ones are shown as gone for a while, then forgotten. */
class NodeDirectoryTest {
  private final Instant start = Instant.parse("2026-01-31T12:00:00Z");
  private Instant now = start;
  private final NodeDirectory directory = new NodeDirectory("self", new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  });

  @Test
  void aNodeSilentForThreePeriodsIsGoneAndAfterTwelveHoursItIsForgottenWithItsAgents() {
    directory.heartbeat(beat("left", now));
    directory.heartbeat(beat("self", now));

    now = start.plusSeconds(100);
    directory.heartbeat(beat("self", now));
    assertThat(ids()).containsExactly("left", "self");
    assertThat(node("left").getBoolean("gone")).isTrue();
    assertThat(directory.agentsJson().getJsonArray("agents")).hasSize(2);

    now = start.plus(NodeDirectory.FORGET_AFTER).plusSeconds(60);
    directory.heartbeat(beat("self", now));

    assertThat(ids()).containsExactly("self");
    assertThat(directory.agentsJson().getJsonArray("agents")).extracting(a -> ((JsonObject) a).getString("node"))
        .containsExactly("self");
  }

  @Test
  void aDrainingNodeIsShownAsDrainingAndAsGoneOnceItSaysItStopped() {
    directory.heartbeat(beat("other", now, false, false));
    assertThat(node("other").getBoolean("draining")).isFalse();

    directory.heartbeat(beat("other", now, true, false));
    assertThat(node("other").getBoolean("draining")).isTrue();
    assertThat(node("other").getBoolean("gone")).isFalse();

    directory.heartbeat(beat("other", now, true, true)); // its last word: gone now, not three periods later
    assertThat(node("other").getBoolean("gone")).isTrue();
    assertThat(directory.agentsJson().getJsonArray("agents").getJsonObject(0).getBoolean("nodeGone")).isTrue();
    // A heartbeat of an older node, which knows nothing of either, reads as neither.
    JsonObject old = beat("old", now).toJson();
    old.remove("draining");
    old.remove("stopped");
    assertThat(NodeHeartbeat.fromJson(old).draining()).isFalse();
    assertThat(NodeHeartbeat.fromJson(old).stopped()).isFalse();
  }

  private NodeHeartbeat beat(String id, Instant at) {
    return beat(id, at, false, false);
  }

  private NodeHeartbeat beat(String id, Instant at, boolean draining, boolean stopped) {
    AgentStatus agent = new AgentStatus(id + "/agent-1", id, AgentStatus.IDLE, null, null, at);
    return new NodeHeartbeat(id, List.of("agents"), 1.0, 1000, 500, List.of(agent), start, at, 30, draining, stopped, List.of());
  }

  private List<String> ids() {
    return directory.nodesJson().getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")).toList();
  }

  private JsonObject node(String id) {
    return directory.nodesJson().getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("id").equals(id)).findFirst().orElseThrow();
  }
}
