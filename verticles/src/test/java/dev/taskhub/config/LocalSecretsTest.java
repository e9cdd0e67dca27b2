package dev.taskhub.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalSecretsTest {
  @AfterEach
  void forget() {
    LocalSecrets.remember(new JsonObject());
  }

  @Test
  void theDeployedConfigLosesItsSecretsFlatOrNestedAndEachNodeFillsInItsOwn() {
    JsonObject config = new JsonObject().put("api.tokens", "t:admin").put("finalizer.secret", "s")
        .put("db", new JsonObject().put("url", "postgresql://u:pw@db/x").put("poolSize", 4)).put("agent.count", 2);

    JsonObject deployed = LocalSecrets.strip(config);

    assertThat(deployed.encode()).doesNotContain("pw").doesNotContain("t:admin").doesNotContain("\"s\"");
    assertThat(deployed.getJsonObject("db").getInteger("poolSize")).isEqualTo(4);
    LocalSecrets.remember(new JsonObject().put("db.url", "postgresql://other:pw2@db/x").put("api.tokens", "mine:read"));
    NodeSettings settings = NodeSettings.from(deployed);
    assertThat(settings.db().url()).isEqualTo("postgresql://other:pw2@db/x");
    assertThat(settings.api().tokens()).isEqualTo("mine:read");
    assertThat(settings.agent().count()).isEqualTo(2);
  }
}
