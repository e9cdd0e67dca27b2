package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.Scrape;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registered task wakes as many idle agents as there are new tasks, not every idle agent: on a node of eight idle
 * agents, one task used to bring eight claims, seven of which found nothing ({@code taskhub_claims_empty_total}).
 * A batch still wakes all of them.
 */
@Timeout(180)
class AnnouncementWakeUpTest {
  private static final int AGENTS = 8;
  private static final int ONE_AT_A_TIME = 5;

  @TempDir
  Path dir;

  @Test
  void oneTaskWakesOneIdleAgentAndABatchWakesThemAll() throws Exception {
    Executors executors = new Executors(dir.resolve("executors")).script("ok", "true").script("slow", "sleep 3");
    try (TaskhubNode node = TaskhubNode.named("wakeup", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", AGENTS).start()) {
      Api api = node.api();
      // Every agent asks once when it starts, and finds nothing; the count settles once all of them have asked.
      await().atMost(seconds(30)).untilAsserted(() -> assertThat(emptyClaims(api)).isEqualTo(AGENTS));

      for (int i = 1; i <= ONE_AT_A_TIME; i++) {
        assertThat(api.post("/api/tasks", "{\"type\": \"ok\"}").status()).isEqualTo(201);
        int done = i;
        await().atMost(seconds(30)).until(() -> api.stats().getJsonObject("byState").getLong("DONE") == done);
        // The agent that ran it asks again once it is over, and finds nothing. Waiting for that claim keeps it from
        // crossing the next announcement (an agent that hears one while its claim is under way asks once more).
        await().atMost(seconds(10)).until(() -> emptyClaims(api) >= AGENTS + done);
      }
      Thread.sleep(1000); // a late claim of an agent that should have slept would show now
      assertThat(emptyClaims(api) - AGENTS).as("claims that found nothing after %d tasks, one at a time, on %d idle agents",
          ONE_AT_A_TIME, AGENTS).isEqualTo(ONE_AT_A_TIME);

      JsonArray batch = new JsonArray();
      for (int i = 0; i < AGENTS; i++) {
        batch.add(new JsonObject().put("type", "slow"));
      }
      assertThat(api.post("/api/tasks", new JsonObject().put("tasks", batch).encode()).status()).isEqualTo(201);
      await().atMost(seconds(30)).untilAsserted(() ->
          assertThat(api.stats().getJsonObject("byState").getLong("RUNNING")).as("all eight at once").isEqualTo(AGENTS));
    }
  }

  private static double emptyClaims(Api api) throws Exception {
    return new Scrape(api.get("/metrics").text()).value("taskhub_claims_empty_total");
  }
}
