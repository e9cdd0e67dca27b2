package dev.taskhub.client;

import dev.taskhub.api.Task;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * How an application in its own JVM uses Taskhub over the clustered event bus: join the cluster the nodes form
 * (same Hazelcast configuration: cluster name and members, see cluster.* in conf/default.yaml), then register a
 * task and follow it. Not a test: run it by hand against nodes started with cluster.enabled=true.
 */
public final class ClientExample {

  public static void main(String[] args) {
    Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager()).buildClustered().await();
    TaskhubClient taskhub = new TaskhubClient(vertx);

    Task task = taskhub.register("wordcount", new JsonObject().put("text", "to be or not to be").put("top", 2)).await();
    System.out.println("registered task " + task.id());
    taskhub.subscribe(task.id(), event -> {
      Task t = event.task();
      System.out.printf("%s %s %s%n", t.state(), t.progress() == null ? "" : t.progress() + "%", t.progressMessage() == null ? "" : t.progressMessage());
      if (t.state().isFinal()) {
        System.out.println("result: " + t.resultData());
        vertx.close();
      }
    }).await();
    // The task may have ended before the subscription was active: look once.
    Task now = taskhub.get(task.id()).await();
    if (now.state().isFinal()) {
      System.out.println(now.state() + ", result: " + now.resultData());
      vertx.close();
    }
  }
}
