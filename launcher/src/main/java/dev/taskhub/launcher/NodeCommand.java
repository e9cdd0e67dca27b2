package dev.taskhub.launcher;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Start a Taskhub node. With no options: hub, supervisor with 3 agents and the HTTP API on "
        + "127.0.0.1:8080, on an embedded PostgreSQL under ./taskhub-data.",
        "Configuration: conf/default.yaml < conf/override.yaml < --config < TASKHUB_* environment < --set."})
final class NodeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, description = "An extra YAML configuration file.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set one configuration key, e.g. --set agent.count=8.")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    JsonObject conf = ConfigLoader.load(Path.of("conf", "override.yaml"), config, System.getenv(), sets);
    Node node = Node.start(conf);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "taskhub-shutdown"));
    System.out.println("Taskhub node " + node.config().getString("node.id") + " is up"
        + (node.config().getString("hub.url") == null ? "" : ": " + node.config().getString("hub.url") + "/"));
    stopped.await();
    return 0;
  }
}
