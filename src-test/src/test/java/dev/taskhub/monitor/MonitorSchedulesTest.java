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
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The monitor in a real headless Chromium: the schedules panel, a task's current subtask, the app filter. */
@Timeout(240)
class MonitorSchedulesTest {
  @TempDir
  Path dir;
  TaskhubNode node;
  Api api;
  Chromium browser;

  @BeforeEach
  void startNodeAndBrowser() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("resize", """
            echo 'StartSubtask: {"id":"resize","t":"Resizing"}'
            for i in 1 2 3 4 5 6 7 8 9 10; do
              echo "Progress: {\\"op\\":$i,\\"opm\\":10,\\"p\\":$i,\\"pm\\":10,\\"subtaskId\\":\\"resize\\",\\"d\\":\\"photo $i\\"}"
              sleep 0.5
            done
            echo 'FinishSubtask: {"id":"resize"}'
            """);
    node = TaskhubNode.named("monitor-schedules", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).start();
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
  void schedulesShowTheirNextRunAndARunningTaskItsSubtask() throws Exception {
    JsonObject report = new JsonObject().put("type", "report").put("title", "Nightly report");
    api.send("/api/schedules/nightly-report", "PUT", new JsonObject().put("cron", "0 30 2 * * *")
        .put("timezone", "Europe/Budapest").put("task", report).encode());
    api.send("/api/schedules/archive", "PUT", new JsonObject().put("cron", "0 0 * * 0").put("task", report)
        .put("paused", true).encode());

    browser.open(api.base() + "/");
    await().atMost(seconds(30)).until(() -> "live".equals(browser.text("#connection")));
    String nightly = "tr[data-schedule='nightly-report']";
    await().atMost(seconds(20)).until(() -> browser.find(nightly) != null);
    assertThat(browser.text(nightly + " .cron")).isEqualTo("0 30 2 * * *");
    assertThat(browser.text(nightly + " .zone")).isEqualTo("Europe/Budapest");
    assertThat(browser.text(nightly + " .task")).isEqualTo("Nightly report");
    assertThat(browser.text(nightly + " .status")).isEqualTo("active");
    assertThat(browser.text(nightly + " .next")).matches("\\d\\d:\\d\\d:\\d\\d \\(in (\\d+:)?\\d+:\\d\\d\\)");
    assertThat(browser.text("tr[data-schedule='archive'] .next")).isEqualTo("paused");
    assertThat(browser.text("#schedules-summary")).isEqualTo("1 active · 1 paused");

    // A schedule that starts ticking shows its last run, live.
    api.send("/api/schedules/every-second", "PUT", new JsonObject().put("cron", "* * * * * *")
        .put("task", new JsonObject().put("type", "parked").put("app", "ops")).encode());
    await().atMost(seconds(20)).until(() -> browser.find("tr[data-schedule='every-second']") != null
        && browser.text("tr[data-schedule='every-second'] .last").matches("\\d\\d:\\d\\d:\\d\\d"));
    api.patch("/api/schedules/every-second", "{\"action\": \"pause\"}");

    // A running task shows its current subtask and that subtask's own progress, in its row and its detail.
    long id = api.submit(new JsonObject().put("type", "resize").put("title", "Resize album").put("app", "photos")).getLong("id");
    String row = "tr[data-task-id='" + id + "']";
    await().atMost(seconds(30)).until(() -> browser.find(row) != null);
    // The app filter offers the new task's application as soon as the task is on the page, not at the next stats.
    List<String> offered = browser.script("return [...document.querySelectorAll('#filter-app option')].map(o => o.value)");
    assertThat(offered).contains("photos", "ops");
    await().atMost(seconds(30)).until(() -> browser.text(row + " .msg").matches("photo \\d+ · subtask Resizing \\d+/10"));
    browser.find(row).click();
    await().atMost(seconds(20)).until(() -> browser.find("#detail-body .facts") != null
        && browser.text("#detail-body .facts").matches("(?s).*Subtask\\s*subtask Resizing \\d+/10.*"));
    browser.script("document.getElementById('detail-close').click()");
    browser.screenshot(Path.of("target", "monitor-schedules.png"));

    // The app filter keeps only that application's tasks.
    browser.script("const s = document.getElementById('filter-app'); s.value = 'photos'; s.dispatchEvent(new Event('change'))");
    await().atMost(seconds(10)).until(() -> {
      List<String> apps = browser.script("return [...document.querySelectorAll('#task-table tbody tr .sub')].map(e => e.textContent)");
      return !apps.isEmpty() && apps.stream().allMatch(a -> a.contains("@photos"));
    });

    api.delete("/api/schedules/nightly-report");
    await().atMost(seconds(10)).until(() -> browser.find(nightly) == null);
    assertThat(browser.consoleErrors()).isEmpty();
    assertThat((List<?>) browser.script("return window.taskhubMonitor.errors")).isEmpty();
  }
}
