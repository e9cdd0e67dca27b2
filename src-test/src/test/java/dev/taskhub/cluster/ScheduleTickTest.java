package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule ticking every second with two hubs in two JVMs: each tick makes exactly one task, none is lost when a
 * hub is killed, and after every hub was down ONE task stands for the ticks missed meanwhile.
 */
@Timeout(300)
class ScheduleTickTest {
  @TempDir
  Path dir;

  TaskhubNode hub(String name, TestCluster cluster, String db) throws Exception {
    return TaskhubNode.named(name, Files.createDirectories(dir.resolve(name))).database(db).cluster(cluster).roles("hub,http");
  }

  @Test
  void twoHubsMakeOneTaskPerTickLoseNoneWhenOneDiesAndOneForTheTicksMissedWhileBothWereDown() throws Exception {
    TestCluster cluster = new TestCluster(2);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode first = hub("schedule-first", cluster, db).start();
         TaskhubNode second = hub("schedule-second", cluster, db).start()) {
      Api api = second.api();
      Api.Response put = first.api().send("/api/schedules/every-second", "PUT", new JsonObject()
          .put("cron", "* * * * * *").put("task", new JsonObject().put("type", "tick")).encode());
      assertThat(put.status()).as(put.text()).isEqualTo(201);
      await().atMost(seconds(30)).until(() -> ticks(api).size() >= 5);

      first.kill9(); // perhaps in the middle of firing a tick
      int[] beforeKill = {0};
      // Requests in flight to the dead hub fail for a moment (503): ask again.
      await().atMost(seconds(30)).ignoreExceptions().until(() -> (beforeKill[0] = ticks(api).size()) > 0);
      await().atMost(seconds(30)).ignoreExceptions().until(() -> ticks(api).size() >= beforeKill[0] + 6);

      List<Instant> ticks = await().atMost(seconds(30)).ignoreExceptions().until(() -> ticks(api), t -> true);
      assertConsecutive(ticks);
      Instant lastBeforeOutage = ticks.get(ticks.size() - 1);

      second.kill9(); // now no hub is up
      Thread.sleep(8_000); // longer than schedule.misfireSeconds (5)
      first.start();
      await().atMost(seconds(60)).ignoreExceptions().until(() -> ticks(first.api()).size() >= ticks.size() + 4);
      first.api().patch("/api/schedules/every-second", "{\"action\": \"pause\"}");

      List<Instant> after = ticks(first.api()).stream().filter(t -> t.isAfter(lastBeforeOutage)).toList();
      // The hub that came back made one task for the missed ticks — the latest of them — then went on tick by tick.
      assertThat(after.get(0)).as("one task for the missed ticks").isAfter(lastBeforeOutage.plusSeconds(8));
      assertConsecutive(after);
    }
  }

  /** The ticks of the schedule's tasks, oldest first; fails on a duplicate. */
  private static List<Instant> ticks(Api api) {
    Api.Response r = api.get("/api/tasks?limit=1000&schedule=every-second");
    if (r.status() != 200) {
      throw new IllegalStateException(r.status() + " " + r.text());
    }
    List<Instant> ticks = r.json().getJsonArray("tasks").stream()
        .map(t -> Instant.parse(((JsonObject) t).getString("scheduledFor"))).sorted().toList();
    assertThat(ticks).as("one task per tick").doesNotHaveDuplicates();
    return ticks;
  }

  private static void assertConsecutive(List<Instant> ticks) {
    for (int i = 1; i < ticks.size(); i++) {
      assertThat(ticks.get(i)).as("no tick lost between " + ticks.get(i - 1) + " and " + ticks.get(i))
          .isEqualTo(ticks.get(i - 1).plusSeconds(1));
    }
  }
}
