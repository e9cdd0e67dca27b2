package dev.taskhub.http;

import dev.taskhub.api.FieldRule;
import dev.taskhub.api.Priority;
import dev.taskhub.api.ScheduleSpec;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TypeSettings;
import dev.taskhub.web.ApiTokens.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is a valid OpenAPI 3.1 contract, and says what the code does: the request bodies it describes
 * are those {@link TaskSpec} and {@link TaskState.Change} check — the same fields, types and limits — and the states,
 * actions and priorities it lists are those of the code; every operation names the role it needs. (That every
 * operation has a handler is checked when the HTTP verticle starts.)
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
  void aTaskSpecIsDescribedAsTaskSpecChecksIt() {
    JsonObject spec = schema("TaskSpec");
    assertDescribes(spec, TaskSpec.FIELDS);
    assertThat(spec.getJsonArray("required").getList()).containsExactly("type");
    JsonObject ids = spec.getJsonObject("properties").getJsonObject("dependsOn").getJsonObject("items");
    assertThat(ids.getMap()).containsEntry("type", "integer").containsEntry("format", "int64").containsEntry("minimum", 1);

    JsonObject batch = schema("TaskBatch");
    assertThat(batch.getJsonObject("properties").fieldNames()).containsExactly("tasks");
    assertThat(batch.getBoolean("additionalProperties")).isFalse();
    assertThat(batch.getJsonObject("properties").getJsonObject("tasks").getInteger("minItems")).isEqualTo(1);
  }

  @Test
  void aChangeIsDescribedAsTaskStateChangeChecksIt() {
    JsonObject patch = schema("TaskPatch");
    assertDescribes(patch, TaskState.Change.FIELDS);
    assertThat(patch.getInteger("minProperties")).as("exactly one field").isEqualTo(1);
    assertThat(patch.getInteger("maxProperties")).as("exactly one field").isEqualTo(1);
  }

  @Test
  void aScheduleAndItsChangeAreDescribedAsScheduleSpecChecksThem() {
    JsonObject spec = schema("ScheduleSpec");
    assertDescribes(spec, ScheduleSpec.FIELDS);
    assertThat(spec.getJsonArray("required").getList()).containsExactly("cron", "task");
    JsonObject task = resolve(spec.getJsonObject("properties").getJsonObject("task"));
    assertThat(task.getJsonObject("properties").fieldNames()).as("a task as POST /api/tasks takes it")
        .containsExactlyInAnyOrderElementsOf(TaskSpec.FIELDS.keySet());
    assertDescribes(schema("SchedulePatch"), ScheduleSpec.CHANGE_FIELDS);
    assertThat(Contract.roleFor(contract.operation("putSchedule"))).isEqualTo(Role.admin);
    assertThat(Contract.roleFor(contract.operation("changeSchedule"))).isEqualTo(Role.admin);
    assertThat(Contract.roleFor(contract.operation("deleteSchedule"))).isEqualTo(Role.admin);
    assertThat(Contract.roleFor(contract.operation("listSchedules"))).isEqualTo(Role.read);
    assertThat(Contract.roleFor(contract.operation("getSchedule"))).isEqualTo(Role.read);
  }

  @Test
  void aTypesSettingsAreDescribedAsTypeSettingsChecksThemEachClearedByNull() {
    JsonObject patch = schema("TypeSettingsPatch");
    assertDescribes(patch, TypeSettings.FIELDS);
    for (String field : TypeSettings.FIELDS.keySet()) {
      assertThat(resolve(patch.getJsonObject("properties").getJsonObject(field)).getValue("type")).as(field)
          .isInstanceOf(JsonArray.class);
    }
    assertThat(schema("TypeSettings").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(TypeSettings.FIELDS.keySet());
    assertThat(Contract.roleFor(contract.operation("putType"))).isEqualTo(Role.admin);
    assertThat(Contract.roleFor(contract.operation("getType"))).isEqualTo(Role.read);
    assertThat(Contract.roleFor(contract.operation("listTypes"))).isEqualTo(Role.read);
  }

  /** The schema's properties are the rules' fields, each with the same JSON type, limits, pattern and values. */
  private static void assertDescribes(JsonObject schema, Map<String, FieldRule> rules) {
    JsonObject properties = schema.getJsonObject("properties");
    assertThat(properties.fieldNames()).containsExactlyInAnyOrderElementsOf(rules.keySet());
    assertThat(schema.getBoolean("additionalProperties")).as("unknown fields are refused").isFalse();
    for (FieldRule rule : rules.values()) {
      JsonObject described = resolve(properties.getJsonObject(rule.name()));
      String[] bounds = switch (String.valueOf(rule.type())) {
        case "string" -> new String[] {"minLength", "maxLength"};
        case "integer" -> new String[] {"minimum", "maximum"};
        case "array" -> new String[] {"minItems", "maxItems"};
        default -> new String[] {"-", "-"};
      };
      // A field that null clears is described as [type, 'null'].
      Object type = described.getValue("type");
      if (type instanceof JsonArray nullable) {
        assertThat(nullable.getList()).as(rule.name() + " nullable").hasSize(2).contains("null");
        type = nullable.getList().stream().filter(t -> !"null".equals(t)).findFirst().orElse(null);
      }
      assertThat(type).as(rule.name() + " type").isEqualTo(rule.type());
      assertThat(described.getLong(bounds[0])).as(rule.name() + " " + bounds[0]).isEqualTo(rule.min());
      assertThat(described.getLong(bounds[1])).as(rule.name() + " " + bounds[1]).isEqualTo(rule.max());
      assertThat(described.getString("pattern")).as(rule.name() + " pattern").isEqualTo(rule.pattern() == null ? null : rule.pattern().pattern());
      assertThat(described.getJsonArray("enum", new JsonArray()).getList()).as(rule.name() + " values").isEqualTo(rule.values());
    }
  }

  /** A property with its {@code $ref} followed (OpenAPI 3.1 lets a {@code $ref} have siblings, such as a description). */
  private static JsonObject resolve(JsonObject property) {
    String ref = property.getString("$ref");
    if (ref == null) {
      return property;
    }
    JsonObject resolved = resolve(schema(ref.substring(ref.lastIndexOf('/') + 1))).copy();
    property.forEach(e -> {
      if (!e.getKey().equals("$ref")) {
        resolved.put(e.getKey(), e.getValue());
      }
    });
    return resolved;
  }

  @Test
  void theTypeNameOfAFilterIsTheTypeNameOfATask() {
    assertThat(schema("TypeName").getString("pattern")).isEqualTo(TaskSpec.TYPE.pattern());
    assertThat(schema("TypeName").getLong("maxLength")).isEqualTo(TaskSpec.FIELDS.get("type").max());
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
      if (List.of("health", "ready", "openApi").contains(operation.getOperationId())) {
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
