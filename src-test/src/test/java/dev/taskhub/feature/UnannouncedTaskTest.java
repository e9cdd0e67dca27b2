package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle agents claim only when a hub announces work. A task whose announcement never reached them — here a row
 * written straight into the table, claimable since a minute ago, so no announcement ever covers it — must still
 * run: the leading hub announces, every few seconds, the types whose tasks have waited too long.
 */
@Timeout(120)
class UnannouncedTaskTest {
  @TempDir
  Path dir;

  @Test
  void aReadyTaskNobodyAnnouncedStillRunsWithinSeconds() throws Exception {
    Executors executors = new Executors(dir.resolve("executors")).script("quick", "echo 'ResultData: ran'");
    String db = TestDatabase.createDatabase();
    try (TaskhubNode node = TaskhubNode.named("unannounced", dir).database(db).executors(executors.dir())
        .set("agent.count", 2).start()) {
      Api api = node.api();
      node.awaitLog("ready with executors [quick]", seconds(30));
      TestDatabase.execute(db, "INSERT INTO taskhub.task (type, state, priority, data, run_at) "
          + "VALUES ('quick', 'READY', 2, '{}', now() - interval '1 minute')");
      long id = api.get("/api/tasks?type=quick").json().getJsonArray("tasks").getJsonObject(0).getLong("id");

      assertThat(api.awaitEnd(id, seconds(30)).getString("resultData")).isEqualTo("ran");
    }
  }
}
