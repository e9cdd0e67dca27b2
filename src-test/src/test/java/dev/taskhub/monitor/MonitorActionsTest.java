package dev.taskhub.monitor;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Chromium;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Acting on tasks from the page: who may, and what each button does (through PATCH /api/tasks/{id}). */
@Timeout(180)
class MonitorActionsTest {
  @TempDir
  Path dir;
  TaskhubNode node;
  Chromium browser;

  Api start(String name, String tokens) throws Exception {
    node = TaskhubNode.named(name, dir)
        .database(TestDatabase.createDatabase())
        .executors(Files.createDirectories(dir.resolve("executors")))
        .set("agent.count", 1)
        .set("api.tokens", tokens)
        .start();
    browser = Chromium.start(dir.resolve("chromium"), 1440, 1200);
    return node.api();
  }

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
  void aReadTokenWatchesWithoutButtonsAndAnAdminTokenGetsThem() throws Exception {
    Api api = start("monitor-tokens-page", "reader-token:read,boss-token:admin");
    long id = api.withToken("boss-token").submit(new JsonObject().put("type", "parked").put("title", "Nightly export")).getLong("id");

    browser.open(api.base() + "/");
    await().atMost(seconds(20)).until(() -> "This node requires an API token to watch.".equals(browser.text("#token-status")));
    assertThat(browser.text("#connection")).startsWith("disconnected");

    useToken("reader-token");
    await().atMost(seconds(20)).until(() -> "live".equals(browser.text("#connection")));
    openDetail(id);
    await().atMost(seconds(20)).until(() -> browser.text("#detail .actions .note") != null);
    assertThat(browser.text("#detail .actions .note")).startsWith("Read-only");
    assertThat(browser.all("#detail button[data-action]")).isEmpty();

    useToken("boss-token");
    await().atMost(seconds(20)).until(() -> "Token: admin".equals(browser.text("#token-button")));
    openDetail(id);
    await().atMost(seconds(20)).until(() -> browser.all("#detail button[data-action]").size() == 4);
    assertThat(browser.find("#detail button[data-action='suspend']").isEnabled()).isTrue();
    assertThat(browser.find("#detail button[data-action='resume']").isEnabled()).isFalse();
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void anOperatorSuspendsResumesReprioritisesAndCancelsATaskFromThePage() throws Exception {
    Api api = start("monitor-actions", "");
    long id = api.submit(new JsonObject().put("type", "parked").put("title", "Nightly export")).getLong("id");
    browser.open(api.base() + "/");
    await().atMost(seconds(20)).until(() -> "live".equals(browser.text("#connection")));
    openDetail(id);
    String state = "tr[data-task-id='" + id + "'] .state";

    click("suspend");
    await().atMost(seconds(10)).until(() -> "SUSPENDED".equals(browser.text(state)));
    click("resume");
    await().atMost(seconds(10)).until(() -> "READY".equals(browser.text(state)));

    browser.script("const s = document.querySelector(\"#detail select[data-action='priority']\"); s.value = 'Important';"
        + " s.dispatchEvent(new Event('change'));");
    await().atMost(seconds(10)).until(() -> "Important".equals(browser.text("tr[data-task-id='" + id + "'] td:nth-child(4)")));

    click("cancel"); // arms the button
    assertThat(browser.text("#detail button[data-action='cancel']")).isEqualTo("Click again to cancel");
    click("cancel");
    await().atMost(seconds(10)).until(() -> "CANCELLED".equals(browser.text(state)));
    assertThat(api.task(id).getString("state")).isEqualTo("CANCELLED");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private void useToken(String token) {
    if (browser.find("#token-panel").getDomAttribute("hidden") != null) {
      browser.find("#token-button").click();
    }
    browser.find("#token-input").sendKeys(token);
    browser.find("#token-form button[type='submit']").click();
  }

  private void openDetail(long id) {
    String row = "tr[data-task-id='" + id + "']";
    await().atMost(seconds(20)).until(() -> browser.find(row) != null);
    browser.find(row).click();
  }

  private void click(String action) {
    String button = "#detail button[data-action='" + action + "']";
    await().atMost(seconds(10)).until(() -> browser.find(button) != null && browser.find(button).isEnabled());
    browser.find(button).click();
  }
}
