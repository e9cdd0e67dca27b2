package dev.taskhub.security;

import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run … -ha} records the verticle's deployment config in Hazelcast's HA map, which every member can read: it
 * must hold none of the node's secrets (database password, API tokens, finalizer secret); a node that takes the
 * verticle over reads its own.
 */
@Timeout(180)
class SecretsStayLocalTest {
  private static final String DB_PASSWORD = "db-password-for-this-node-only";
  private static final String TOKEN = "api-token-for-this-node-only-0123456789";
  private static final String FINALIZER_SECRET = "finalizer-secret-for-this-node-only";

  @TempDir
  Path dir;

  @Test
  void theHaMapHoldsNoSecretOfAHubRunWithHa() throws Exception {
    TestCluster cluster = new TestCluster(2);
    String db = TestDatabase.createDatabase().replace("postgres@", "postgres:" + DB_PASSWORD + "@");
    // As a user writes it: the database URL in the -conf file, the other secrets in the environment.
    Path conf = Files.writeString(dir.resolve("hub.json"), new JsonObject().put("db", new JsonObject().put("url", db)).encode());
    try (TaskhubNode hub = TaskhubNode.named("ha-secrets", Files.createDirectories(dir.resolve("hub"))).cluster(cluster)
        .set("api.tokens", TOKEN + ":admin").set("finalizer.secret", FINALIZER_SECRET)
        .command("run", "dev.taskhub.hub.HubVerticle", "-cluster", "-ha", "-conf", conf.toString()).start()) {
      hub.awaitLog("hub ready", seconds(60)); // it reached its database: the secrets were there where it runs
      Vertx member = cluster.join();
      try {
        var hazelcast = ((HazelcastClusterManager) ((VertxInternal) member).clusterManager()).getHazelcastInstance();
        String haInfo = String.join("\n", hazelcast.getMap("__vertx.haInfo").values().stream().map(String::valueOf).toList());
        assertThat(haInfo).as("the HA map as any member reads it").contains("dev.taskhub.hub.HubVerticle")
            .doesNotContain(DB_PASSWORD).doesNotContain(TOKEN).doesNotContain(FINALIZER_SECRET);
      } finally {
        member.close().await();
      }
      assertThat(hub.logText()).doesNotContain(DB_PASSWORD).doesNotContain(TOKEN).doesNotContain(FINALIZER_SECRET);
    }
  }
}
