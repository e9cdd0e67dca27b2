package dev.taskhub.http;

import dev.taskhub.api.Priority;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.web.ApiTokens.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is a valid OpenAPI 3.1 contract, and says what the code does: the fields, names and states
 * it lists are those of {@link TaskSpec}, {@link TaskState} and {@link TaskState.Action}, and every operation names
 * the role it needs. (That every operation has a handler is checked when the HTTP verticle starts.)
 */
class ContractTest {
  static Vertx vertx;
  static OpenAPIContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = OpenAPIContract.from(vertx, Contract.DOCUMENT).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static JsonObject schema(String name) {
    return contract.getRawContract().getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
  }

  @Test
  void aTaskSpecHasTheFieldsTaskSpecAccepts() {
    assertThat(schema("TaskSpec").getJsonObject("properties").fieldNames()).containsExactlyInAnyOrderElementsOf(TaskSpec.FIELDS);
    assertThat(schema("TypeName").getString("pattern")).isEqualTo(TaskSpec.TYPE.pattern());
  }

  @Test
  void statesActionsAndPrioritiesAreThoseOfTheCode() {
    assertThat(schema("State").getJsonArray("enum").getList())
        .containsExactlyElementsOf(Arrays.stream(TaskState.values()).map(Enum::name).toList());
    assertThat(schema("TaskPatch").getJsonObject("properties").getJsonObject("action").getJsonArray("enum").getList())
        .containsExactlyElementsOf(Arrays.stream(TaskState.Action.values()).map(TaskState.Action::word).toList());
    assertThat(schema("Task").getJsonObject("properties").getJsonObject("priority").getJsonArray("enum").getList())
        .containsExactlyElementsOf(Arrays.stream(Priority.values()).map(Enum::name).toList());
  }

  @Test
  void everyOperationNamesTheRoleItNeedsOrIsOpenOnPurpose() {
    for (Operation operation : contract.operations()) {
      Role role = Contract.roleFor(operation);
      if (operation.getOperationId().equals("health") || operation.getOperationId().equals("openApi")) {
        assertThat(role).as(operation.getOperationId()).isNull();
      } else {
        assertThat(operation.getOpenAPIModel().containsKey("security")).as(operation.getOperationId()).isTrue();
        assertThat(role).as(operation.getOperationId()).isNotNull();
      }
    }
    assertThat(Contract.roleFor(contract.operation("registerTasks"))).isEqualTo(Role.submit);
    assertThat(Contract.roleFor(contract.operation("changeTask"))).isEqualTo(Role.admin);
    assertThat(Contract.roleFor(contract.operation("listTasks"))).isEqualTo(Role.read);
  }
}
