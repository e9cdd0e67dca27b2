package dev.taskhub.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeSettingsTest {

  private static TypeSettings.Change change(String json) {
    return TypeSettings.Change.fromJson("report", new JsonObject(json));
  }

  @Test
  void theFieldsGivenAreSetNullClearsOneAndTheOthersStay() {
    TypeSettings current = new TypeSettings(2, 1, 3, 600, Priority.Important);

    TypeSettings changed = change("{\"maxRunning\": 5, \"timeoutSeconds\": null}").applyTo(current);

    assertThat(changed).isEqualTo(new TypeSettings(5, 1, 3, null, Priority.Important));
    assertThat(change("{\"priority\": \"unimportant\"}").values().priority()).isEqualTo(Priority.Unimportant);
    assertThat(change("{\"maxRunning\": 5, \"timeoutSeconds\": null}").toJson().encode())
        .isEqualTo("{\"maxRunning\":5,\"timeoutSeconds\":null}");
    assertThat(change("{\"maxRunning\": 0}").applyTo(TypeSettings.NONE).limited()).as("0 is a limit: nothing runs").isTrue();
    assertThat(change("{\"maxAttempts\": 2}").applyTo(TypeSettings.NONE).limited()).isFalse();
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    Map<String, String> refusals = new LinkedHashMap<>();
    refusals.put("{\"maxRunning\": -1}", "'maxRunning' must be at least 0, not -1");
    refusals.put("{\"maxRunning\": 1.5}", "'maxRunning' must be an integer, not 1.5");
    refusals.put("{\"maxRunningPerNode\": \"2\"}", "'maxRunningPerNode' must be an integer, not '2'");
    refusals.put("{\"maxAttempts\": 0}", "'maxAttempts' must be at least 1, not 0");
    refusals.put("{\"timeoutSeconds\": 604801}", "'timeoutSeconds' must be at most 604800, not 604801");
    refusals.put("{\"priority\": \"urgent\"}", "unknown priority 'urgent': use one of Immediately, Important, Normal, Unimportant");
    refusals.put("{\"maxRuning\": 2}", "unknown field 'maxRuning': use maxAttempts, maxRunning, maxRunningPerNode, priority, timeoutSeconds");
    refusals.forEach((json, message) -> assertThatThrownBy(() -> change(json)).as(json)
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST))
        .hasMessage(message));
    assertThatThrownBy(() -> TypeSettings.Change.fromJson("../x", new JsonObject())).hasMessageStartingWith("invalid type '../x'");
    assertThatThrownBy(() -> TypeSettings.Change.fromJson("report", null)).hasMessageContaining("must be a JSON object");
  }

  @Test
  void theConfigurationGivesSettingsPerTypeATypeMayHoldDotsAndEmptyClears() {
    Map<String, String> flat = new LinkedHashMap<>();
    flat.put("agent.count", "3");
    flat.put("types.report.v2.maxRunning", "2");
    flat.put("types.report.v2.priority", "Important");
    flat.put("types.mail.timeoutSeconds", "");

    List<TypeSettings.Change> changes = TypeSettings.fromConfig(flat);

    assertThat(changes).extracting(TypeSettings.Change::type).containsExactly("report.v2", "mail");
    assertThat(changes.get(0).values()).isEqualTo(new TypeSettings(2, null, null, null, Priority.Important));
    assertThat(changes.get(0).given()).containsExactly("maxRunning", "priority");
    assertThat(changes.get(1).given()).containsExactly("timeoutSeconds");
    assertThat(changes.get(1).values().timeoutSeconds()).isNull();
  }

  @Test
  void aBadConfigurationKeyOrValueIsRefusedNamingIt() {
    assertThatThrownBy(() -> TypeSettings.fromConfig(Map.of("types.report.maxRuning", "2")))
        .hasMessage("configuration key 'types.report.maxRuning' is not types.<type>.<setting>: the settings are "
            + "maxRunning, maxRunningPerNode, maxAttempts, timeoutSeconds, priority");
    assertThatThrownBy(() -> TypeSettings.fromConfig(Map.of("types.report", "2")))
        .hasMessageStartingWith("configuration key 'types.report' is not types.<type>.<setting>");
    assertThatThrownBy(() -> TypeSettings.fromConfig(Map.of("types.report.maxRunning", "two")))
        .hasMessage("configuration key 'types.report.maxRunning' must be an integer, not 'two'");
    assertThatThrownBy(() -> TypeSettings.fromConfig(Map.of("types.report.maxRunning", "-2")))
        .hasMessage("configuration types.report: 'maxRunning' must be at least 0, not -2");
    assertThatThrownBy(() -> TypeSettings.fromConfig(Map.of("types.../x.maxRunning", "2")))
        .hasMessageStartingWith("configuration types.../x: invalid type '../x'");
  }
}
