package dev.taskhub.store;

import dev.taskhub.api.Task;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PurgeTasksTest extends StoreTest {

  /** Registers a task and puts it in {@code state}, finished {@code daysAgo} days ago (finalization rows as the trigger made them). */
  long task(String state, Integer daysAgo) throws Exception {
    Task task = register(new JsonObject().put("type", "t"));
    TestDatabase.execute(url, "UPDATE taskhub.task SET state = '" + state + "', log = 'a long log', finished_at = "
        + (daysAgo == null ? "NULL" : "now() - interval '" + daysAgo + " days'")
        + (state.equals("RUNNING") ? ", lease_token = gen_random_uuid()" : "") + " WHERE id = " + task.id()); // as a claim would
    return task.id();
  }

  Set<Long> remaining() {
    Set<Long> ids = new HashSet<>();
    store.readTasks().list(null, null, null, null, 1000).await().tasks().forEach(t -> ids.add(t.id()));
    return ids;
  }

  @Test
  void onlyTasksThatFinishedLongerAgoThanTheRetentionAreEverPurged() throws Exception {
    long oldDone = task("DONE", 10);
    long oldError = task("ERROR", 8);
    long oldCancelled = task("CANCELLED", 30);
    long recentDone = task("DONE", 1);
    long ready = task("READY", 10);     // a live task with an old finished_at (a retry) is never purged
    long running = task("RUNNING", 10);
    long waiting = task("WAITING", null);
    long pendingFinalization = task("DONE", 10);
    TestDatabase.execute(url, "UPDATE taskhub.finalization SET state = 'DONE' WHERE task_id <> " + pendingFinalization);

    Instant cutOff = Instant.now().minus(Duration.ofDays(7));
    int purged = 0;
    int batch;
    do {
      batch = store.purgeTasks().finishedBefore(cutOff, 2).await(); // small batches
      purged += batch;
    } while (batch == 2);

    assertThat(purged).isEqualTo(3);
    assertThat(remaining()).containsExactlyInAnyOrder(recentDone, ready, running, waiting, pendingFinalization)
        .doesNotContain(oldDone, oldError, oldCancelled);
    TestDatabase.execute(url, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM taskhub.finalization WHERE task_id IN ("
        + oldDone + "," + oldError + "," + oldCancelled + ")) THEN RAISE EXCEPTION 'finalization rows left'; END IF; END $$");

    // Once its finalization is done, the task goes too.
    TestDatabase.execute(url, "UPDATE taskhub.finalization SET state = 'DONE' WHERE task_id = " + pendingFinalization);
    assertThat(store.purgeTasks().finishedBefore(cutOff, 100).await()).isEqualTo(1);
    assertThat(remaining()).containsExactlyInAnyOrder(recentDone, ready, running, waiting);
  }
}
