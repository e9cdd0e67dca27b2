package dev.taskhub.launcher;

import dev.taskhub.api.TypeSettings;
import dev.taskhub.config.NodeSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void environmentVariablesAreTheKeyInUpperSnakeCase() {
    assertThat(ConfigLoader.envName("agent.executorTimeoutSeconds")).isEqualTo("TASKHUB_AGENT_EXECUTOR_TIMEOUT_SECONDS");
    assertThat(ConfigLoader.envName("db.url")).isEqualTo("TASKHUB_DB_URL");
    assertThat(ConfigLoader.envName("agent.minFreeMemoryMb")).isEqualTo("TASKHUB_AGENT_MIN_FREE_MEMORY_MB");
  }

  @Test
  void theDefaultsAreThoseOfTheDesign() {
    JsonObject c = ConfigLoader.load(null, null, Map.of(), List.of());

    assertThat(c.getString("http.host")).isEqualTo("127.0.0.1");
    assertThat(c.getString("http.port")).isEqualTo("8080");
    assertThat(c.getString("db.url")).isEmpty();
    assertThat(c.getString("data.dir")).isEqualTo("./taskhub-data");
    assertThat(c.getString("executors.dir")).isEqualTo("conf/executors");
    assertThat(c.getString("node.roles")).isEqualTo("hub,agents,monitor,http");
    assertThat(c.getString("agent.count")).isEqualTo("3");
    assertThat(c.getString("agent.leasePeriodSeconds")).isEqualTo("15");
    assertThat(c.getString("agent.executorTimeoutSeconds")).isEqualTo("30");
    assertThat(c.getString("heartbeat.periodSeconds")).isEqualTo("30");
    assertThat(c.getString("cluster.enabled")).isEqualTo("false");
    assertThat(c.getString("cluster.name")).isEqualTo("taskhub");
    assertThat(c.getString("cluster.members")).isEqualTo("127.0.0.1");
  }

  @Test
  void layersOverrideInOrderFileThenEnvironmentThenCommandLine(@TempDir Path dir) throws Exception {
    Path override = dir.resolve("override.yaml");
    Files.writeString(override, "agent:\n  count: 5\n  leasePeriodSeconds: 7\nhttp:\n  port: 9000\n");

    JsonObject c = ConfigLoader.load(override, null,
        Map.of("TASKHUB_AGENT_COUNT", "6", "TASKHUB_HTTP_PORT", "9001"), List.of("http.port=9002"));

    assertThat(c.getString("agent.leasePeriodSeconds")).isEqualTo("7");
    assertThat(c.getString("agent.count")).isEqualTo("6");
    assertThat(c.getString("http.port")).isEqualTo("9002");
  }

  @Test
  void anUnknownKeyIsRefusedRatherThanIgnored(@TempDir Path dir) throws Exception {
    Path override = dir.resolve("override.yaml");
    Files.writeString(override, "agent:\n  cuont: 5\n");

    assertThatThrownBy(() -> ConfigLoader.load(override, null, Map.of(), List.of()))
        .hasMessageContaining("unknown configuration key 'agent.cuont'");
    assertThatThrownBy(() -> ConfigLoader.load(null, null, Map.of(), List.of("nope=1")))
        .hasMessageContaining("'nope'");
  }

  @Test
  void typesIsAMapOfTaskTypesWhoseSettingsTheNodeChecksWhenItReadsThem(@TempDir Path dir) throws Exception {
    Path override = dir.resolve("override.yaml");
    Files.writeString(override, "types:\n  report.v2:\n    maxRunning: 2\n    priority: Important\n  mail:\n    timeoutSeconds: null\n");

    JsonObject c = ConfigLoader.load(override, null, Map.of("TASKHUB_TYPES_MAIL_TIMEOUT_SECONDS", "60"),
        List.of("types.pdf.maxRunningPerNode=1"));

    assertThat(c.getString("types.report.v2.maxRunning")).isEqualTo("2");
    assertThat(c.getString("types.report.v2.priority")).isEqualTo("Important");
    assertThat(c.getString("types.mail.timeoutSeconds")).as("a key a file gave, set by the environment").isEqualTo("60");
    assertThat(c.getString("types.pdf.maxRunningPerNode")).isEqualTo("1");
    assertThat(NodeSettings.from(c).types()).extracting(TypeSettings.Change::type).containsExactly("report.v2", "mail", "pdf");

    Files.writeString(override, "types:\n  report:\n    maxRuning: 2\n");
    JsonObject typo = ConfigLoader.load(override, null, Map.of(), List.of());
    assertThatThrownBy(() -> NodeSettings.from(typo)).as("the node refuses to start")
        .hasMessageContaining("'types.report.maxRuning' is not types.<type>.<setting>");
    assertThatThrownBy(() -> ConfigLoader.load(null, null, Map.of(), List.of("typos.report.maxRunning=1")))
        .hasMessageContaining("unknown configuration key 'typos.report.maxRunning'");
  }
}
