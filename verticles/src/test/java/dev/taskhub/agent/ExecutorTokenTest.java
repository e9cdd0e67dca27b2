package dev.taskhub.agent;

import dev.taskhub.config.NodeSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** executor.token must be one of the node's tokens, of role read or submit; the message never shows it. */
class ExecutorTokenTest {
  @TempDir
  Path dir;

  @Test
  void aSubmitOrReadTokenOfTheNodeIsAcceptedAndNoTokenToo() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens"), "reader-0123456789:read\n");
    JsonObject config = new JsonObject().put("api.tokens", "boss-0123456789:admin,sender-0123456789:submit")
        .put("api.tokensFile", file.toString());

    assertThatCode(() -> ExecutorToken.check(settings(config.copy().put("executor.token", "sender-0123456789")))).doesNotThrowAnyException();
    assertThatCode(() -> ExecutorToken.check(settings(config.copy().put("executor.token", "reader-0123456789")))).doesNotThrowAnyException();
    assertThatCode(() -> ExecutorToken.check(settings(config))).doesNotThrowAnyException();
  }

  @Test
  void anAdminTokenIsRefused() {
    JsonObject config = new JsonObject().put("api.tokens", "boss-0123456789:admin").put("executor.token", "boss-0123456789");

    assertThatThrownBy(() -> ExecutorToken.check(settings(config)))
        .hasMessageStartingWith("executor.token has the role admin").hasMessageNotContaining("boss-0123456789");
  }

  @Test
  void aTokenTheNodeDoesNotKnowIsRefused() {
    JsonObject config = new JsonObject().put("executor.token", "stranger-0123456789");

    assertThatThrownBy(() -> ExecutorToken.check(settings(config)))
        .hasMessageStartingWith("executor.token is none of this node's API tokens").hasMessageNotContaining("stranger");
  }

  @Test
  void theSettingsNeverPrintTheToken() {
    assertThat(settings(new JsonObject().put("executor.token", "secret-0123456789")).executorAccess().toString())
        .doesNotContain("secret-0123456789");
  }

  private static NodeSettings settings(JsonObject config) {
    return NodeSettings.from(config);
  }
}
