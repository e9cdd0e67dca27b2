package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.Priority;
import dev.taskhub.api.ScheduleSpec;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TypeSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-type settings as stored: a change sets what it gives and keeps the rest, and a registration that leaves out
 * maxAttempts, timeoutSeconds or priority gets its type's, read by the registration's own statement (so a change made
 * through another hub counts at once), whether it came by the API, in a batch, or from a schedule.
 */
class TypeSettingsStoreTest extends StoreTest {

  private TypeSettings put(String type, JsonObject settings) {
    return store.changeTypeSettings().put(TypeSettings.Change.fromJson(type, settings)).await();
  }

  @Test
  void aChangeSetsTheFieldsItGivesClearsThoseGivenNullAndKeepsTheOthers() {
    assertThat(store.readTypeSettings().get("report").await()).isEqualTo(TypeSettings.NONE);

    put("report", new JsonObject().put("maxRunning", 2).put("maxRunningPerNode", 1).put("maxAttempts", 3)
        .put("timeoutSeconds", 600).put("priority", "Important"));
    TypeSettings changed = put("report", new JsonObject().put("maxRunningPerNode", null).put("maxAttempts", 5));

    assertThat(changed).isEqualTo(new TypeSettings(2, null, 5, 600, Priority.Important));
    assertThat(store.readTypeSettings().get("report").await()).isEqualTo(changed);
    assertThat(store.readTypeSettings().all().await()).containsOnlyKeys("report");
  }

  @Test
  void aRegistrationThatLeavesThemOutTakesItsTypesDefaultsAndWhatItGivesWins() {
    Task before = register(new JsonObject().put("type", "report"));
    assertThat(List.of(before.maxAttempts(), before.priority())).as("built in").containsExactly(1, Priority.Normal);
    assertThat(before.timeoutSeconds()).isNull();

    Store otherHub = Store.open(vertx, url, 2, 10_000);
    otherHub.changeTypeSettings().put(TypeSettings.Change.fromJson("report",
        new JsonObject().put("maxAttempts", 3).put("timeoutSeconds", 600).put("priority", "Important"))).await();

    Task defaulted = register(new JsonObject().put("type", "report"));
    Task explicit = register(new JsonObject().put("type", "report").put("maxAttempts", 1).put("timeoutSeconds", 5)
        .put("priority", "Unimportant"));
    Task otherType = register(new JsonObject().put("type", "mail"));

    assertThat(defaulted.maxAttempts()).isEqualTo(3);
    assertThat(defaulted.timeoutSeconds()).isEqualTo(600);
    assertThat(defaulted.priority()).isEqualTo(Priority.Important);
    assertThat(List.<Object>of(explicit.maxAttempts(), explicit.timeoutSeconds(), explicit.priority()))
        .containsExactly(1, 5, Priority.Unimportant);
    assertThat(List.<Object>of(otherType.maxAttempts(), otherType.priority())).containsExactly(1, Priority.Normal);
  }

  @Test
  void aBatchOfSeveralTypesTakesEachTypesDefaultsInOneStatementInOrder() {
    put("a", new JsonObject().put("maxAttempts", 4));
    put("b", new JsonObject().put("priority", "Immediately"));
    JsonArray specs = new JsonArray().add(new JsonObject().put("type", "a")).add(new JsonObject().put("type", "b"))
        .add(new JsonObject().put("type", "a").put("maxAttempts", 2)).add(new JsonObject().put("type", "c"));

    long before = Store.statementsSent();
    List<Task> tasks = store.registerTasks().register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 10)).await();

    assertThat(Store.statementsSent() - before).isEqualTo(1);
    assertThat(tasks).extracting(Task::type).containsExactly("a", "b", "a", "c");
    assertThat(tasks).extracting(Task::maxAttempts).containsExactly(4, 1, 2, 1);
    assertThat(tasks).extracting(Task::priority).containsExactly(Priority.Normal, Priority.Immediately, Priority.Normal, Priority.Normal);
  }

  @Test
  void aScheduledTaskTakesItsTypesDefaultsToo() {
    put("report", new JsonObject().put("maxAttempts", 3).put("priority", "Important"));
    Instant t0 = Instant.parse("2026-01-01T10:30:00Z");
    JsonObject body = new JsonObject().put("cron", "0 0 * * * *").put("timezone", "UTC").put("task", new JsonObject().put("type", "report"));
    store.changeSchedules().put(ScheduleSpec.fromJson("hourly", body, 1 << 20), t0).await();

    Task made = store.fireSchedules().fireDue(Instant.parse("2026-01-01T11:00:00.100Z"), Duration.ofSeconds(5), 10, 1 << 20)
        .await().fired().get(0).task();

    assertThat(made.maxAttempts()).isEqualTo(3);
    assertThat(made.priority()).isEqualTo(Priority.Important);
  }

  @Test
  void roomOnSaysWhetherATaskCouldStartNowLeavingAJustEndedTasksSlotToItsAgent() {
    register(new JsonObject().put("type", "t"));
    register(new JsonObject().put("type", "t"));
    put("t", new JsonObject().put("maxRunning", 1).put("maxRunningPerNode", 1));
    assertThat(room(List.of("node-1"), 0)).isTrue();

    Claim claim = store.claimWithinLimits().claim(List.of(new ClaimRequest("a", "node-1", List.of("t"))), 30).await().get(0);
    assertThat(room(List.of("node-1"), 0)).as("at maxRunning").isFalse();

    put("t", new JsonObject().put("maxRunning", null));
    assertThat(room(List.of("node-1"), 0)).as("node-1 at its limit").isFalse();
    assertThat(room(List.of("node-1", "node-2"), 0)).isTrue();
    assertThat(room(List.of(), 0)).as("no node known: any may have room").isTrue();

    store.completeAttempt().complete(succeeded(claim)).await();
    assertThat(room(List.of("node-1"), 0)).isTrue();
    assertThat(room(List.of("node-1"), 60_000)).as("the ending still holds its slot for its agent").isFalse();

    store.claimWithinLimits().claim(List.of(new ClaimRequest("a", "node-1", List.of("t"))), 30).await();
    assertThat(room(List.of("node-2"), 0)).as("no task due").isFalse();
  }

  private boolean room(List<String> nodes, long reservedMillis) {
    return store.readTypeSettings().roomOn("t", nodes, reservedMillis).await();
  }
}
