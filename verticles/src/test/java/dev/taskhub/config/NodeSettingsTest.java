package dev.taskhub.config;

import dev.taskhub.api.Priority;
import dev.taskhub.api.TypeSettings;
import dev.taskhub.config.NodeSettings.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeSettingsTest {

  @Test
  void anEmptyConfigTakesEveryDefaultFromDefaultYaml() {
    NodeSettings s = NodeSettings.from(new JsonObject());

    assertThat(s.roles()).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(s.http().host()).isEqualTo("127.0.0.1");
    assertThat(s.http().port()).isEqualTo(8080);
    assertThat(s.db().url()).isNull();
    assertThat(s.dataDir()).isEqualTo(Path.of("./taskhub-data"));
    assertThat(s.agent().count()).isEqualTo(3);
    assertThat(s.agent().lease().periodSeconds()).isEqualTo(15);
    assertThat(s.agent().lease().leaseSeconds()).isEqualTo(30);
    assertThat(s.agent().executorTimeoutSeconds()).isEqualTo(30);
    assertThat(s.agent().maxCpuLoad()).isNull();
    assertThat(s.cluster().enabled()).isFalse();
    assertThat(s.cluster().members()).isEqualTo(List.of("127.0.0.1"));
    assertThat(s.nodeId()).isNull();
    assertThat(s.task().maxLostAttempts()).isEqualTo(3);
    assertThat(s.shutdownGraceSeconds()).isEqualTo(30);
  }

  @Test
  void retentionIsADurationOrOffAndTheMisfireThresholdHasADefault() {
    assertThat(NodeSettings.from(new JsonObject()).retention().finished()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(NodeSettings.from(new JsonObject().put("retention.finished", "PT12H")).retention().finished())
        .isEqualTo(java.time.Duration.ofHours(12));
    assertThat(NodeSettings.from(new JsonObject().put("retention.finished", "off")).retention().finished()).isNull();
    assertThat(NodeSettings.from(new JsonObject()).schedule().misfire()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("retention.finished", "P1M")))
        .hasMessageContaining("retention.finished must be a positive ISO-8601 duration").hasMessageContaining("'P1M'");
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("retention.finished", "PT0S")))
        .hasMessageContaining("retention.finished");
  }

  @Test
  void flatAndNestedKeysAreReadAlike() {
    NodeSettings flat = NodeSettings.from(new JsonObject().put("agent.count", "7").put("node.roles", "agents, http"));
    NodeSettings nested = NodeSettings.from(new JsonObject()
        .put("agent", new JsonObject().put("count", 7)).put("node", new JsonObject().put("roles", "agents,http")));

    assertThat(flat.agent().count()).isEqualTo(7).isEqualTo(nested.agent().count());
    assertThat(flat.roles()).containsExactlyInAnyOrder(Role.agents, Role.http).isEqualTo(nested.roles());
  }

  @Test
  void aValueOfTheWrongKindIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("agent.count", "many")))
        .hasMessage("configuration key 'agent.count' must be an integer, not 'many'");
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("node.roles", "hub,agent")))
        .hasMessage("unknown role 'agent' in node.roles: use any of hub, agents, monitor, http");
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("cluster.enabled", "yes")))
        .hasMessage("configuration key 'cluster.enabled' must be true or false, not 'yes'");
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("task.maxLostAttempts", 0)))
        .hasMessage("task.maxLostAttempts must be at least 1, not 0");
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("node.shutdownGraceSeconds", -1)))
        .hasMessage("node.shutdownGraceSeconds must be 0 or more (0: kill what runs at once), not -1");
  }

  @Test
  void executorsAreToldTheNodesOwnApiWithAWildcardBindReplacedByItsAddress() {
    assertThat(NodeSettings.from(new JsonObject()).ownApiUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(NodeSettings.from(new JsonObject().put("http.host", "0.0.0.0").put("http.port", 9000)).ownApiUrl())
        .isEqualTo("http://127.0.0.1:9000");
    assertThat(NodeSettings.from(new JsonObject().put("http.host", "0.0.0.0").put("cluster.host", "10.0.0.1")).ownApiUrl())
        .isEqualTo("http://10.0.0.1:8080");
    assertThat(NodeSettings.from(new JsonObject().put("http.host", "::").put("cluster.host", "fd00::1")).ownApiUrl())
        .isEqualTo("http://[fd00::1]:8080");
    assertThat(NodeSettings.from(new JsonObject().put("http.host", "10.0.0.2").put("http.tls.certFile", "c.pem")
        .put("http.tls.keyFile", "k.pem")).ownApiUrl()).isEqualTo("https://10.0.0.2:8080");
  }

  @Test
  void executorHubUrlWinsOverTheNodesOwnApiAndAnAgentOnlyNodeTellsNone() {
    JsonObject launched = new JsonObject().put("hub.url", "http://127.0.0.1:8080"); // as the launcher sets it (http role)

    assertThat(NodeSettings.from(launched).executorAccess().hubUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(NodeSettings.from(launched.copy().put("executor.hubUrl", "https://api.example:8443/")).executorAccess().hubUrl())
        .isEqualTo("https://api.example:8443");
    assertThat(NodeSettings.from(new JsonObject().put("node.roles", "agents")).executorAccess().hubUrl()).isNull();
    assertThat(NodeSettings.from(new JsonObject()).executorAccess().token()).isNull();
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("executor.hubUrl", "api.example:8080")))
        .hasMessage("executor.hubUrl must be an http:// or https:// URL with a host, not 'api.example:8080'");
  }

  @Test
  void typeSettingsAreReadFlatOrNestedAndNoneByDefault() {
    assertThat(NodeSettings.from(new JsonObject()).types()).isEmpty();

    NodeSettings flat = NodeSettings.from(new JsonObject().put("types.report.maxRunning", "2").put("types.report.priority", "Important"));
    NodeSettings nested = NodeSettings.from(new JsonObject().put("types", new JsonObject()
        .put("report", new JsonObject().put("maxRunning", 2).put("priority", "Important"))));

    assertThat(flat.types()).hasSize(1);
    assertThat(flat.types().get(0).type()).isEqualTo("report");
    assertThat(flat.types().get(0).values()).isEqualTo(new TypeSettings(2, null, null, null, Priority.Important))
        .isEqualTo(nested.types().get(0).values());
    assertThatThrownBy(() -> NodeSettings.from(new JsonObject().put("types.report.maxRunning", "-1")))
        .hasMessage("configuration types.report: 'maxRunning' must be at least 0, not -1");
  }
}
