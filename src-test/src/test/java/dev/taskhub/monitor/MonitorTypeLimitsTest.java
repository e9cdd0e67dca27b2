package dev.taskhub.monitor;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Chromium;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The monitor in a real headless Chromium shows a type's limit beside its counts, and follows a change of it. */
@Timeout(180)
class MonitorTypeLimitsTest {
  @TempDir
  Path dir;

  @Test
  void theByTypeTableShowsEachTypesLimitBesideItsCounts() throws Exception {
    try (TaskhubNode node = TaskhubNode.named("monitor-type-limits", dir).database(TestDatabase.createDatabase())
             .set("agent.count", 0).start();
         Chromium browser = Chromium.start(dir.resolve("chromium"), 1440, 1200)) {
      Api api = node.api();
      api.put("/api/types/report", "{\"maxRunning\": 2, \"maxRunningPerNode\": 1}");
      api.submit(new JsonObject().put("type", "report"));
      api.submit(new JsonObject().put("type", "mail"));

      browser.open(api.base() + "/");
      await().atMost(seconds(30)).until(() -> "live".equals(browser.text("#connection")));
      await().atMost(seconds(20)).until(() -> browser.find("#by-type td[data-limit='report']") != null);
      assertThat(browser.text("#by-type td[data-limit='report']")).isEqualTo("max 2 · 1 per node");
      assertThat(browser.text("#by-type td[data-limit='mail']")).as("no limit").isEqualTo("—");
      assertThat(browser.text("#by-type thead")).contains("limit");

      api.put("/api/types/report", "{\"maxRunningPerNode\": null}");
      await().atMost(seconds(20)).until(() -> "max 2".equals(browser.text("#by-type td[data-limit='report']")));
      assertThat(browser.consoleErrors()).isEmpty();
      assertThat((List<?>) browser.script("return window.taskhubMonitor.errors")).isEmpty();
    }
  }
}
