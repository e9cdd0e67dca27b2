package dev.taskhub.supervisor;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class SupervisorVerticleTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void theSupervisorKeepsItsAgentsAliveAndRedeploysOneThatIsGone(@TempDir Path dir) {
    SupervisorVerticle supervisor = new SupervisorVerticle();
    JsonObject config = new JsonObject().put("agent.count", 3).put("node.id", "n1")
        .put("executors.dir", dir.toString()).put("data.dir", dir.toString());
    vertx.deployVerticle(supervisor, new DeploymentOptions().setConfig(config)).await();
    assertThat(supervisor.agentDeployments()).hasSize(3);

    String victim = supervisor.agentDeployments().get(1);
    vertx.undeploy(victim).await();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<String> alive = supervisor.agentDeployments();
      assertThat(alive).hasSize(3).doesNotContain(victim);
    });
  }
}
