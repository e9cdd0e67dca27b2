package dev.taskhub.monitor;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateRulesTest {

  @Test
  void thePageIsToldTheStateRulesOfTheServer() {
    JsonObject rules = StateRules.json();

    assertThat(rules.getJsonArray("all").getList()).containsExactly("WAITING", "SUSPENDED", "READY", "RUNNING", "DONE", "ERROR", "CANCELLED");
    assertThat(rules.getJsonArray("live").getList()).containsExactly("WAITING", "SUSPENDED", "READY", "RUNNING");
    assertThat(rules.getJsonArray("queued").getList()).containsExactly("WAITING", "SUSPENDED", "READY");
    assertThat(rules.getJsonArray("final").getList()).containsExactly("DONE", "ERROR", "CANCELLED");
    assertThat(rules.getJsonObject("actions").fieldNames()).containsExactly("suspend", "resume", "cancel", "retry");
    assertThat(rules.getJsonObject("actions").getJsonArray("resume").getList()).containsExactly("SUSPENDED");
  }
}
