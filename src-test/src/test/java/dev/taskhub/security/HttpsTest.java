package dev.taskhub.security;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCertificates;
import dev.taskhub.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code http.tls.certFile} and {@code http.tls.keyFile}: the API and the monitor on HTTPS only. */
@Timeout(120)
class HttpsTest {
  @TempDir
  Path dir;

  @Test
  void theApiAnswersOverHttpsToAClientThatTrustsTheCaFileAndNothingInPlainText() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir.resolve("certs"), "https");
    try (TaskhubNode node = TaskhubNode.named("https", dir).database(TestDatabase.createDatabase()).set("agent.count", 0)
        .https(ca.issue("api"), ca.clientContext()).start()) { // start() itself waits for /health over HTTPS
      Api api = node.api();
      assertThat(URI.create(api.base()).getScheme()).isEqualTo("https");
      assertThat(api.post("/api/tasks", "{\"type\": \"idle\"}").status()).isEqualTo(201);
      assertThat(api.get("/api/stats").json().getJsonObject("byState").getLong("READY")).isEqualTo(1);
      assertThat(api.get("/").status()).as("the monitor's page too").isEqualTo(200);

      int port = URI.create(api.base()).getPort();
      assertThatThrownBy(() -> new Api("http://127.0.0.1:" + port).get("/health")).as("no plain HTTP on that port")
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> new Api("https://127.0.0.1:" + port, TestCertificates.authority(dir.resolve("other"), "other")
          .clientContext()).get("/health")).as("a client that does not trust the CA refuses the server")
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
