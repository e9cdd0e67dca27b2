package dev.taskhub.security;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCertificates;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster whose event bus is mutual TLS ({@code cluster.tls.*}): a hub with the HTTP API (no tokens, on loopback),
 * an agent node with a certificate from the cluster's CA, and an intruder that joined Hazelcast with a certificate from
 * another CA. Also what a node without tokens refuses: a foreign Host (DNS rebinding) and a finalizeUrl outside
 * {@code finalizer.allowedUrls}.
 */
@Timeout(240)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSecurityTest {
  TaskhubNode hub;
  TaskhubNode agent;
  TaskhubNode intruder;
  Api api;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority(dir.resolve("certs"), "cluster");
    TestCertificates otherCa = TestCertificates.authority(dir.resolve("certs"), "other");
    TestCluster cluster = new TestCluster(3);
    String db = TestDatabase.createDatabase();
    Path executors = new Executors(dir.resolve("executors")).script("ok", "echo 'ResultData: ran'").dir();
    Path intruderExecutors = new Executors(dir.resolve("intruder-executors")).script("secret", "echo 'ResultData: stolen'").dir();
    hub = tls(TaskhubNode.named("tls-hub", Files.createDirectories(dir.resolve("hub"))).cluster(cluster), ca.issue("hub"), ca)
        .database(db).roles("hub,monitor,http").set("http.allowedHosts", "taskhub.internal")
        .set("finalizer.allowedUrls", "https://hooks.example/taskhub/").start();
    agent = tls(TaskhubNode.named("tls-agent", Files.createDirectories(dir.resolve("agent"))).cluster(cluster), ca.issue("agent"), ca)
        .database(db).executors(executors).roles("agents").set("agent.count", 1).start();
    // Same cluster name and members: it joins Hazelcast, but its certificate is not from the cluster's CA.
    intruder = tls(TaskhubNode.named("tls-intruder", Files.createDirectories(dir.resolve("intruder"))).cluster(cluster),
        otherCa.issue("intruder"), otherCa).database(db).executors(intruderExecutors).roles("agents").set("agent.count", 1).start();
    api = hub.api();
  }

  private static TaskhubNode tls(TaskhubNode node, TestCertificates.Issued certificate, TestCertificates ca) {
    return node.set("cluster.tls.certFile", certificate.cert()).set("cluster.tls.keyFile", certificate.key())
        .set("cluster.tls.caFile", ca.caFile());
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (TaskhubNode node : new TaskhubNode[] {intruder, agent, hub}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void aNodeWithACertificateFromAnotherCaGetsNoTaskWhileTheClusterWorks() throws Exception {
    long secret = api.submit(new JsonObject().put("type", "secret")).getLong("id");
    long ok = api.submit(new JsonObject().put("type", "ok")).getLong("id");

    await().atMost(seconds(60)).until(() -> "DONE".equals(api.task(ok).getString("state")));
    assertThat(api.task(ok).getString("node")).isEqualTo(agent.nodeId());
    Thread.sleep(5000); // the intruder's agent has long asked for work by now: it is idle with an executor for "secret"
    JsonObject stillThere = api.task(secret);
    assertThat(stillThere.getString("state")).isEqualTo("READY");
    assertThat(stillThere.getInteger("attempts")).isZero();
    assertThat(api.get("/api/nodes").json().getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")))
        .as("its heartbeats never arrive").contains(agent.nodeId()).doesNotContain(intruder.nodeId());
  }

  @Test
  void nothingOfAClusteredNodeListensOnAnyAddressButClusterHost() throws Exception {
    for (TaskhubNode node : List.of(hub, agent)) {
      List<String> listening = listeningAddresses(node.pid());
      assertThat(listening).as("sockets of %s", node.log()).isNotEmpty()
          .allMatch(address -> address.startsWith("127.0.0.1:") || address.startsWith("[::ffff:127.0.0.1]:"));
    }
  }

  @Test
  void withoutTokensARequestForAForeignHostIsRefused() {
    int port = URI.create(api.base()).getPort();
    Api.Response rebound = api.raw("GET", "/api/tasks", "attacker.example:" + port);
    assertThat(rebound.status()).as(rebound.text()).isEqualTo(403);
    assertThat(new JsonObject(rebound.text()).getString("error")).contains("attacker.example").contains("http.allowedHosts");
    assertThat(api.raw("GET", "/", "attacker.example:" + port).status()).as("the monitor too").isEqualTo(403);
    assertThat(api.raw("GET", "/api/tasks", "127.0.0.1:" + port).status()).isEqualTo(200);
    assertThat(api.raw("GET", "/api/tasks", "localhost:" + port).status()).isEqualTo(200);
    assertThat(api.raw("GET", "/api/tasks", "taskhub.internal:" + port).status()).as("http.allowedHosts").isEqualTo(200);
  }

  @Test
  void aFinalizeUrlOutsideTheAllowedPrefixesIsRefusedAtRegistration() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data", "https://hooks.example@attacker.example/taskhub/x",
        "https://hooks.example/elsewhere")) {
      Api.Response r = api.post("/api/tasks", new JsonObject().put("type", "idle").put("finalizeUrl", url).encode());
      assertThat(r.status()).as(url).isEqualTo(400);
      assertThat(r.json().getString("error")).contains("finalizer.allowedUrls");
    }
    assertThat(api.post("/api/tasks", new JsonObject().put("type", "idle")
        .put("finalizeUrl", "https://hooks.example/taskhub/done").encode()).status()).isEqualTo(201);
  }

  /** The local addresses of the TCP sockets this process listens on, as {@code ss} shows them. */
  private static List<String> listeningAddresses(long pid) throws Exception {
    Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes());
    assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<String> addresses = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.contains("pid=" + pid + ",")) {
        addresses.add(line.trim().split("\\s+")[3]);
      }
    }
    return addresses;
  }
}
