package dev.taskhub.cluster;

import com.sun.net.httpserver.HttpServer;
import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three kinds of finalizer, once per finished task whatever way it ended: a Java finalizer on the hub's class
 * path, the event-bus publish that any JVM of the cluster can consume, and the task's finalizeUrl, signed and
 * retried until it answers 2xx.
 */
@Timeout(300)
class FinalizerTest {
  private static final String SECRET = "s3cret";

  @TempDir
  Path dir;

  @Test
  void everyFinishedTaskIsFinalizedOnceByEachKindOfFinalizer() throws Exception {
    Path finalizations = dir.resolve("finalizations.txt");
    Executors executors = new Executors(dir.resolve("executors")).script("ok", "echo 'ResultData: fine'").script("fail", "exit 3");
    // The callback receiver answers 500 to the first call for each task, 200 after: the hub must retry.
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    List<String> badSignatures = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/done", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!("sha256=" + hmac(body)).equals(exchange.getRequestHeaders().getFirst("X-Taskhub-Signature"))) {
        badSignatures.add(new String(body, StandardCharsets.UTF_8));
      }
      long id = new JsonObject(new String(body, StandardCharsets.UTF_8)).getLong("id");
      int n = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      exchange.sendResponseHeaders(n == 1 ? 500 : 200, -1);
      exchange.close();
    });
    receiver.start();
    String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/done";

    TestCluster cluster = new TestCluster(2);
    Vertx listener = null;
    try (TaskhubNode node = TaskhubNode.named("finalizers", Files.createDirectories(dir.resolve("node")))
        .cluster(cluster).database(TestDatabase.createDatabase()).executors(executors.dir())
        .withTestFinalizer(finalizations).set("finalizer.secret", SECRET).set("finalizer.timeoutSeconds", 5).start()) {
      // Any JVM of the cluster can consume the finished-task events: this test's own.
      listener = cluster.join();
      Map<Long, AtomicInteger> events = new ConcurrentHashMap<>();
      listener.eventBus().<JsonObject>consumer("taskhub.tasks.finished",
          msg -> events.computeIfAbsent(msg.body().getLong("id"), k -> new AtomicInteger()).incrementAndGet());
      Thread.sleep(1000); // let the subscription reach the node

      Api api = node.api();
      long ok = api.submit(new JsonObject().put("type", "ok").put("finalizeUrl", callback)).getLong("id");
      long failed = api.submit(new JsonObject().put("type", "fail")).getLong("id");
      long cancelled = api.submit(new JsonObject().put("type", "ok").put("dependsOn", new JsonArray().add(failed))).getLong("id");
      List<Long> ids = List.of(ok, failed, cancelled);

      assertThat(api.awaitEnd(ok, seconds(60)).getString("state")).isEqualTo("DONE");
      assertThat(api.awaitEnd(failed, seconds(60)).getString("state")).isEqualTo("ERROR");
      assertThat(api.awaitEnd(cancelled, seconds(60)).getString("state")).isEqualTo("CANCELLED");

      await().atMost(seconds(60)).until(() -> calls.containsKey(ok) && calls.get(ok).get() == 2);
      await().atMost(seconds(30)).until(() -> Files.exists(finalizations) && Files.readAllLines(finalizations).size() == 3
          && events.keySet().containsAll(ids));
      Thread.sleep(3000); // anything that would run twice has had time to
      assertThat(Files.readAllLines(finalizations))
          .containsExactlyInAnyOrder(ok + " DONE", failed + " ERROR", cancelled + " CANCELLED");
      assertThat(events).allSatisfy((id, n) -> assertThat(n.get()).as("events of task %d", id).isEqualTo(1));
      assertThat(calls.get(ok).get()).isEqualTo(2); // refused once, accepted once, never again
      assertThat(calls).containsOnlyKeys(ok);
      assertThat(badSignatures).isEmpty();
    } finally {
      receiver.stop(0);
      if (listener != null) {
        listener.close().await();
      }
    }
  }

  @Test
  void aTaskDeletedWhileItsCallbackBacksOffIsStillCalledBackWithWhatItWas() throws Exception {
    Executors executors = new Executors(dir.resolve("executors")).script("ok", "echo 'ResultData: fine'");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/done", exchange -> {
      received.add(new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(received.size() == 1 ? 503 : 200, -1); // the first call is refused: backoff
      exchange.close();
    });
    receiver.start();
    String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/done";
    try (TaskhubNode node = TaskhubNode.named("finalize-deleted", Files.createDirectories(dir.resolve("node")))
        .database(TestDatabase.createDatabase()).executors(executors.dir()).start()) {
      Api api = node.api();
      long id = api.submit(new JsonObject().put("type", "ok").put("finalizeUrl", callback)).getLong("id");
      await().atMost(seconds(30)).until(() -> received.size() == 1);

      assertThat(api.delete("/api/tasks/" + id).status()).isEqualTo(204);

      // Before, the finalization went with the task (ON DELETE CASCADE) and the call was never made again.
      await().atMost(seconds(30)).until(() -> received.size() == 2);
      assertThat(received.get(1).getLong("id")).isEqualTo(id);
      assertThat(received.get(1).getString("state")).isEqualTo("DONE");
      assertThat(received.get(1).getString("resultData")).isEqualTo("fine");
      Thread.sleep(3000);
      assertThat(received).hasSize(2);
    } finally {
      receiver.stop(0);
    }
  }

  private static String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
