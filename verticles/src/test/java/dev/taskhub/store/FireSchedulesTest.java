package dev.taskhub.store;

import dev.taskhub.api.Schedule;
import dev.taskhub.api.ScheduleSpec;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FireSchedulesTest extends StoreTest {
  static final Duration MISFIRE = Duration.ofSeconds(5);
  static final Instant T0 = Instant.parse("2026-01-01T10:30:00Z");

  Schedule put(String name, String cron, JsonObject task, Instant now) {
    JsonObject body = new JsonObject().put("cron", cron).put("timezone", "UTC").put("task", task);
    return store.changeSchedules().put(ScheduleSpec.fromJson(name, body, 1 << 20), now).await().schedule();
  }

  FireSchedules.Pass fire(Instant now) {
    return store.fireSchedules().fireDue(now, MISFIRE, 20, 1 << 20).await();
  }

  List<Task> tasksOf(String schedule) {
    return store.readTasks().list(new ReadTasks.Filter(null, null, null, null, schedule), null, 1000).await().tasks();
  }

  @Test
  void aTickMakesOneTaskThatCarriesTheScheduleAndTheTick() {
    Schedule hourly = put("hourly", "0 0 * * * *", new JsonObject().put("type", "report").put("data", new JsonObject().put("b", 1).put("a", 2)), T0);
    assertThat(hourly.nextRunAt()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));

    assertThat(fire(Instant.parse("2026-01-01T10:59:59Z")).fired()).isEmpty();
    FireSchedules.Pass pass = fire(Instant.parse("2026-01-01T11:00:00.300Z"));

    assertThat(pass.fired()).hasSize(1);
    Task task = pass.fired().get(0).task();
    assertThat(task.schedule()).isEqualTo("hourly");
    assertThat(task.scheduledFor()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
    assertThat(task.state()).isEqualTo(TaskState.READY);
    assertThat(task.data()).isEqualTo("{\"b\":1,\"a\":2}"); // the spec's data, unchanged
    assertThat(pass.readyTypes()).containsExactly("report");
    Schedule after = store.readSchedules().get("hourly").await();
    assertThat(after.nextRunAt()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
    assertThat(after.lastRunAt()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
    assertThat(pass.nextDue()).isEqualTo(after.nextRunAt());
    assertThat(fire(Instant.parse("2026-01-01T11:00:00.900Z")).fired()).isEmpty();
    assertThat(tasksOf("hourly")).hasSize(1);
  }

  @Test
  void hubsFiringAtTheSameMomentMakeExactlyOneTaskPerTick() throws Exception {
    put("every-second", "* * * * * *", new JsonObject().put("type", "t"), T0);
    Store[] hubs = {store, Store.open(vertx, url, 4, 10_000), Store.open(vertx, url, 4, 10_000)};
    for (int s = 1; s <= 30; s++) {
      Instant now = T0.plusSeconds(s).plusMillis(100);
      List<Future<FireSchedules.Pass>> passes = new ArrayList<>();
      for (Store hub : hubs) {
        passes.add(hub.fireSchedules().fireDue(now, MISFIRE, 20, 1 << 20));
      }
      Future.all(passes).await();
    }

    List<Task> tasks = tasksOf("every-second");
    Set<Instant> ticks = tasks.stream().map(Task::scheduledFor).collect(Collectors.toSet());
    assertThat(tasks).hasSize(30);
    assertThat(ticks).hasSize(30).contains(T0.plusSeconds(1), T0.plusSeconds(30));
  }

  @Test
  void afterEveryHubWasDownOneTaskStandsForAllTheMissedTicks() {
    put("minutely", "0 * * * * *", new JsonObject().put("type", "t"), T0);

    FireSchedules.Pass pass = fire(Instant.parse("2026-01-01T15:00:20Z")); // 4.5 hours of ticks missed

    assertThat(pass.fired()).hasSize(1);
    assertThat(pass.fired().get(0).missedTicks()).isTrue();
    assertThat(pass.fired().get(0).task().scheduledFor()).isEqualTo(Instant.parse("2026-01-01T15:00:00Z"));
    assertThat(store.readSchedules().get("minutely").await().nextRunAt()).isEqualTo(Instant.parse("2026-01-01T15:01:00Z"));
    assertThat(fire(Instant.parse("2026-01-01T15:00:59Z")).fired()).isEmpty();
    assertThat(fire(Instant.parse("2026-01-01T15:01:00.2Z")).fired().get(0).task().scheduledFor())
        .isEqualTo(Instant.parse("2026-01-01T15:01:00Z"));
    assertThat(tasksOf("minutely")).hasSize(2);
  }

  @Test
  void aTickThatIsOnlyLateIsFiredAsItselfSoNoneIsLost() {
    put("every-second", "* * * * * *", new JsonObject().put("type", "t"), T0); // first tick T0 + 1 s
    Instant now = T0.plusSeconds(4).plusMillis(500); // a hub paused for 3.5 s: within the misfire threshold

    List<Instant> ticks = new ArrayList<>();
    FireSchedules.Pass pass;
    do {
      pass = fire(now);
      pass.fired().forEach(f -> ticks.add(f.tick()));
    } while (!pass.nextDue().isAfter(now));

    assertThat(ticks).containsExactly(T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(4));
  }

  @Test
  void aTickWhoseTaskExistsAlreadyMakesNoSecondTaskButMovesOn() throws Exception {
    put("hourly", "0 0 * * * *", new JsonObject().put("type", "t"), T0);
    // As if a hub had made the tick's task: the unique index on (schedule, scheduled_for) is the last guard.
    TestDatabase.execute(url, "INSERT INTO taskhub.task (type, state, priority, data, schedule, scheduled_for) "
        + "VALUES ('t', 'READY', 2, '{}', 'hourly', '2026-01-01T11:00:00Z')");

    FireSchedules.Pass pass = fire(Instant.parse("2026-01-01T11:00:01Z"));

    assertThat(pass.fired()).hasSize(1);
    assertThat(pass.fired().get(0).task()).isNull();
    assertThat(tasksOf("hourly")).hasSize(1);
    assertThat(store.readSchedules().get("hourly").await().nextRunAt()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
  }

  @Test
  void aTickWhileTheLastRunStillHoldsItsKeyIsSkipped() {
    put("nightly", "0 0 * * * *", new JsonObject().put("type", "t").put("key", "nightly-run"), T0);

    Task first = fire(Instant.parse("2026-01-01T11:00:00Z")).fired().get(0).task();
    FireSchedules.Fired second = fire(Instant.parse("2026-01-01T12:00:00Z")).fired().get(0);

    assertThat(first).isNotNull();
    assertThat(second.task()).isNull();
    assertThat(tasksOf("nightly")).extracting(Task::id).containsExactly(first.id());
  }

  @Test
  void aPausedScheduleMakesNothingAndResumesFromItsNextTick() {
    put("hourly", "0 0 * * * *", new JsonObject().put("type", "t"), T0);
    Schedule paused = store.changeSchedules().pause("hourly").await();
    assertThat(paused.paused()).isTrue();
    assertThat(paused.nextRunAt()).isNull();

    assertThat(fire(Instant.parse("2026-01-01T14:00:01Z")).fired()).isEmpty();
    Schedule resumed = store.changeSchedules().resume("hourly", Instant.parse("2026-01-01T14:10:00Z")).await();

    assertThat(resumed.paused()).isFalse();
    assertThat(resumed.nextRunAt()).isEqualTo(Instant.parse("2026-01-01T15:00:00Z"));
    assertThat(tasksOf("hourly")).isEmpty();
  }

  @Test
  void aPutCreatesThenReplacesAndADeleteLeavesTheTasks() {
    JsonObject body = new JsonObject().put("cron", "*/5 * * * *").put("timezone", "Europe/Budapest")
        .put("task", new JsonObject().put("type", "t"));
    ChangeSchedules.Put created = store.changeSchedules().put(ScheduleSpec.fromJson("s", body, 1 << 20), T0).await();
    ChangeSchedules.Put replaced = store.changeSchedules().put(ScheduleSpec.fromJson("s", body.put("cron", "0 * * * *"), 1 << 20), T0).await();

    assertThat(created.created()).isTrue();
    assertThat(created.schedule().nextRunAt()).isEqualTo(Instant.parse("2026-01-01T10:35:00Z"));
    assertThat(replaced.created()).isFalse();
    assertThat(replaced.schedule().cron()).isEqualTo("0 * * * *");
    assertThat(replaced.schedule().nextRunAt()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
    fire(Instant.parse("2026-01-01T11:00:00Z"));
    store.changeSchedules().delete("s").await();
    assertThat(store.readSchedules().list().await()).isEmpty();
    assertThat(tasksOf("s")).hasSize(1);
  }
}
