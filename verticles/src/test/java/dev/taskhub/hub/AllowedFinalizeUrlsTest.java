package dev.taskhub.hub;

import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedFinalizeUrlsTest {
  private final AllowedFinalizeUrls allowed = new AllowedFinalizeUrls(List.of("https://hooks.example/taskhub/", "http://10.1.2.3:8000"));

  @Test
  void aUrlUnderAPrefixPassesAndAnyOtherIsABadRequest() {
    assertThatCode(() -> allowed.check(specs("https://hooks.example/taskhub/done?id=1", "http://10.1.2.3:8000/x"))).doesNotThrowAnyException();
    for (String url : List.of("https://hooks.example/other", "http://hooks.example/taskhub/", "https://hooks.example:444/taskhub/",
        "https://hooks.example@attacker.example/taskhub/", "https://hooks.example.attacker.example/taskhub/", "http://10.1.2.3/")) {
      assertThatThrownBy(() -> allowed.check(specs(url))).as(url).isInstanceOf(TaskhubException.class)
          .hasMessageContaining("finalizer.allowedUrls");
    }
  }

  @Test
  void withoutPrefixesAnyUrlPasses() {
    assertThatCode(() -> new AllowedFinalizeUrls(List.of()).check(specs("http://anything.example/"))).doesNotThrowAnyException();
  }

  private static List<TaskSpec> specs(String... urls) {
    return java.util.Arrays.stream(urls)
        .map(u -> TaskSpec.listFromJson(new JsonObject().put("type", "t").put("finalizeUrl", u), 1 << 20, 10).get(0)).toList();
  }
}
