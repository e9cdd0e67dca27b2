package dev.taskhub.monitor;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Chromium;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The monitor page in a real headless Chromium: what an operator sees change, live, without reloading. */
@Timeout(240)
class MonitorPageTest {
  static final Path SCREENSHOT = Path.of("target", "monitor.png");

  @TempDir
  Path dir;
  TaskhubNode node;
  Api api;
  Chromium browser;

  @BeforeEach
  void startNodeAndBrowser() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("resize-images", """
            echo "StartSubtask: {\\"id\\":\\"resize\\",\\"t\\":\\"Resize\\"}"
            for i in $(seq 1 16); do
              echo "Progress: $((i * 6))%"
              echo "Progress: image $i of 16"
              echo "resized image $i"
              sleep 0.5
            done
            echo "ResultData: {\\"images\\": 16}"
            """)
        .script("fails", "sleep 1; echo 'ERROR: {\"type\":\"DiskFull\",\"message\":\"no space left on /scratch\"}'; exit 3");
    node = TaskhubNode.named("monitor-page", dir)
        .database(TestDatabase.createDatabase())
        .executors(executors.dir())
        .set("agent.count", 2)
        .start();
    api = node.api();
    browser = Chromium.start(dir.resolve("chromium"), 1440, 1500);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    node.close();
  }

  @Test
  void aRunningTaskAppearsShowsItsProgressAndReachesDoneWithoutAReload() throws Exception {
    browser.open(api.base() + "/");
    await().atMost(seconds(30)).until(() -> "live".equals(browser.text("#connection")));
    browser.script("window.openedOnce = true"); // a reload would forget it

    // The node's card shows its machine.
    await().atMost(seconds(20)).until(() -> browser.find(".node[data-node-id] .cpu") != null
        && browser.text(".node[data-node-id] .cpu").matches("\\d+\\.\\d %"));
    assertThat(browser.text(".node[data-node-id] .mem")).matches("[\\d.]+ [MG]B used · [\\d.]+ [MG]B free");
    assertThat(browser.text(".node[data-node-id] .agents")).isEqualTo("0 busy · 2 idle");

    api.submit(new JsonObject().put("type", "parked").put("title", "Waits for an executor").put("priority", "Important"));
    long failing = api.submit(new JsonObject().put("type", "fails").put("title", "Archive logs")).getLong("id");
    long id = api.submit(new JsonObject().put("type", "resize-images").put("title", "Resize holiday photos")
        .put("tag", "photos").put("data", new JsonObject().put("album", "2024-summer"))).getLong("id");
    String row = "tr[data-task-id='" + id + "']";

    await().atMost(seconds(20)).until(() -> browser.find(row) != null);
    assertThat(browser.text(row + " .title")).isEqualTo("Resize holiday photos");

    // Its detail follows the log while it runs.
    browser.find(row).click();
    await().atMost(seconds(30)).until(() -> {
      String log = browser.text("pre[data-task-log='" + id + "']");
      return log != null && log.contains("resized image 3");
    });

    List<Double> seen = new ArrayList<>();
    boolean[] shot = {false};
    await().atMost(seconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String progress = browser.attribute(row + " .bar", "data-progress");
      if (progress != null && !progress.isEmpty() && !seen.contains(Double.valueOf(progress))) {
        seen.add(Double.valueOf(progress));
      }
      if (!shot[0] && seen.size() >= 6) { // mid-run: bars moving, the other tasks settled
        browser.script("document.getElementById('detail-close').click()");
        Thread.sleep(400);
        browser.screenshot(SCREENSHOT);
        shot[0] = true;
      }
      return "DONE".equals(browser.text(row + " .state"));
    });

    assertThat(seen).as("progress values the page showed").hasSizeGreaterThanOrEqualTo(3).isSorted();
    assertThat(Double.valueOf(browser.attribute(row + " .bar", "data-progress"))).isEqualTo(100.0);
    await().atMost(seconds(20)).until(() -> "ERROR".equals(browser.text("tr[data-task-id='" + failing + "'] .state")));
    assertThat(browser.text("tr[data-task-id='" + failing + "'] .msg")).isEqualTo("no space left on /scratch");
    await().atMost(seconds(10)).until(() -> "1".equals(browser.text("#state-tiles [data-state='DONE'] .n"))); // from the hub's stats
    assertThat((Boolean) browser.script("return window.openedOnce === true")).as("the page was never reloaded").isTrue();
    assertThat(shot[0]).isTrue();
    assertThat(browser.consoleErrors()).isEmpty();
    assertThat((List<?>) browser.script("return window.taskhubMonitor.errors")).isEmpty();
  }
}
