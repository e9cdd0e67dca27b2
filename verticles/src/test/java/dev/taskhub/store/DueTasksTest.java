package dev.taskhub.store;

import dev.taskhub.api.Task;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DueTasksTest extends StoreTest {

  /** Registers a task of {@code type}, in {@code state}, claimable since {@code secondsAgo} (negative: in the future). */
  void task(String type, String state, int secondsAgo) throws Exception {
    Task task = register(new JsonObject().put("type", type));
    TestDatabase.execute(url, "UPDATE taskhub.task SET state = '" + state + "', run_at = now() - interval '"
        + secondsAgo + " seconds'" + (state.equals("RUNNING") ? ", lease_token = gen_random_uuid()" : "") // as a claim would
        + " WHERE id = " + task.id());
  }

  @Test
  void onlyTypesWithReadyTasksThatWaitedLongerThanTheAgeAreOverlooked() throws Exception {
    task("waited", "READY", 60);
    task("waited", "READY", 1);
    task("fresh", "READY", 1);
    task("delayed", "READY", -60);
    task("running", "RUNNING", 60);
    task("done", "DONE", 60);
    task("also-waited", "READY", 30);

    assertThat(store.dueTasks().typesWaitingLongerThan(Duration.ofSeconds(5)).await())
        .containsExactlyInAnyOrder("waited", "also-waited");
    assertThat(store.dueTasks().typesWaitingLongerThan(Duration.ofSeconds(45)).await()).containsExactly("waited");
  }

  @Test
  void noReadyTaskMeansNoType() {
    assertThat(store.dueTasks().typesWaitingLongerThan(Duration.ofSeconds(5)).await()).isEmpty();
  }
}
