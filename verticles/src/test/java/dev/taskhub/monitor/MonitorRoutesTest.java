package dev.taskhub.monitor;

import dev.taskhub.config.NodeSettings;
import dev.taskhub.web.RouteContributor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorRoutesTest {

  @Test
  void anHttpVerticleDeployedOnItsOwnFindsTheMonitorOnTheClassPath() {
    assertThat(ServiceLoader.load(RouteContributor.class).stream().map(ServiceLoader.Provider::type))
        .contains(MonitorRoutes.class);
  }

  @Test
  void theMonitorIsMountedOnlyOnANodeWithTheMonitorRole() {
    MonitorRoutes monitor = new MonitorRoutes();

    assertThat(monitor.appliesTo(NodeSettings.from(new JsonObject()))).as("no roles configured").isTrue();
    assertThat(monitor.appliesTo(NodeSettings.from(new JsonObject().put("node.roles", "hub, monitor,http")))).isTrue();
    assertThat(monitor.appliesTo(NodeSettings.from(new JsonObject().put("node.roles", "hub,http")))).isFalse();
  }
}
