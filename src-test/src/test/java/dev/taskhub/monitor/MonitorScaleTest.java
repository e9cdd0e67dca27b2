package dev.taskhub.monitor;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Chromium;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page with a thousand queued tasks and fifty busy agents: it shows them all, draws a bounded number of rows, and
 * keeps following progress. It asserts no timing; the figures it measures go to target/monitor-scale.txt.
 */
@Timeout(300)
class MonitorScaleTest {
  @TempDir
  Path dir;
  TaskhubNode node;
  Chromium browser;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aThousandQueuedTasksAndFiftyBusyAgentsShowWithoutDrawingEveryRow() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("tick", "for i in $(seq 1 90); do echo \"Progress: $((i * 100 / 90))%\"; echo \"Progress: tick $i\"; sleep 1; done");
    node = TaskhubNode.named("monitor-scale", dir)
        .database(TestDatabase.createDatabase())
        .executors(executors.dir())
        .set("agent.count", 50)
        .start();
    Api api = node.api();
    JsonArray parked = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      parked.add(new JsonObject().put("type", "no-agent-runs-this").put("title", "Queued report " + i));
    }
    JsonArray ticking = new JsonArray();
    for (int i = 0; i < 50; i++) {
      ticking.add(new JsonObject().put("type", "tick").put("title", "Ticker " + i));
    }
    assertThat(api.post("/api/tasks", new JsonObject().put("tasks", parked).encode()).status()).isEqualTo(201);
    assertThat(api.post("/api/tasks", new JsonObject().put("tasks", ticking).encode()).status()).isEqualTo(201);
    await().atMost(seconds(60)).until(() -> api.stats().getJsonObject("byState").getLong("RUNNING") == 50);

    browser = Chromium.start(dir.resolve("chromium"), 1440, 1500);
    long opened = System.nanoTime();
    browser.open(api.base() + "/");
    await().atMost(seconds(60)).until(() -> browser.all(".agent .st.busy").size() == 50
        && "1,000".equals(browser.text("#state-tiles [data-state='READY'] .n"))
        && browser.all("#task-table tbody tr").size() == 100);
    long fullPictureMs = (System.nanoTime() - opened) / 1_000_000;

    assertThat(browser.text("#tasks-summary")).startsWith("100 of 1,050 shown");
    assertThat(browser.text("#show-more")).isEqualTo("Show more (950 more)");

    // Progress keeps arriving while all of that is on the page.
    Map<String, Object> before = browser.script("return Object.assign({}, window.taskhubMonitor)");
    String firstBar = "#task-table tbody tr:first-child .bar";
    String progress = browser.attribute(firstBar, "data-progress");
    await().atMost(seconds(30)).until(() -> !progress.equals(browser.attribute(firstBar, "data-progress")));
    Thread.sleep(10_000);
    Map<String, Object> after = browser.script("return Object.assign({}, window.taskhubMonitor)");

    browser.find("#show-more").click();
    await().atMost(seconds(10)).until(() -> browser.all("#task-table tbody tr").size() == 200);
    browser.screenshot(Path.of("target", "monitor-scale.png"));
    assertThat(browser.consoleErrors()).isEmpty();

    String figures = figures(fullPictureMs, before, after);
    System.out.println(figures);
    Files.writeString(Path.of("target", "monitor-scale.txt"), figures);
  }

  private static String figures(long fullPictureMs, Map<String, Object> before, Map<String, Object> after) {
    long seconds = 10;
    double messages = number(after, "messages") - number(before, "messages");
    double bytes = number(after, "bytes") - number(before, "bytes");
    double frames = number(after, "frames") - number(before, "frames");
    double frameMs = number(after, "totalFrameMs") - number(before, "totalFrameMs");
    return String.format("monitor at 1,050 tasks (1,000 queued) and 50 busy agents:%n"
            + "  page open to full picture: %d ms%n"
            + "  stream: %.1f updates/s, %.1f KB/s%n"
            + "  frames: %.1f/s, mean %.1f ms, max %.1f ms (over the whole run, including the first)%n",
        fullPictureMs, messages / seconds, bytes / 1024 / seconds, frames / seconds,
        frames == 0 ? 0 : frameMs / frames, number(after, "maxFrameMs"));
  }

  private static double number(Map<String, Object> map, String key) {
    return ((Number) map.get(key)).doubleValue();
  }
}
