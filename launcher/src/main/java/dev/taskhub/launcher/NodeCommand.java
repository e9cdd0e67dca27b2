package dev.taskhub.launcher;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Start a Taskhub node. With no options: hub, supervisor with 3 agents and the HTTP API on "
        + "127.0.0.1:8080, on an embedded PostgreSQL under ./taskhub-data.",
        "Configuration: conf/default.yaml < conf/override.yaml < --config < TASKHUB_* environment < --set.",
        "SIGTERM (kill, taskhub stop) or Ctrl-C drains it: it claims nothing more and gives the tasks it runs "
            + "node.shutdownGraceSeconds (30) to end, then kills and releases the rest and exits 0. A second signal "
            + "ends the wait at once."})
final class NodeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, description = "An extra YAML configuration file.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set one configuration key, e.g. --set agent.count=8.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--pid-file", paramLabel = "FILE",
      description = "Write this process's id to FILE once the node is up (removed when it stops), for taskhub stop --pid-file FILE.")
  Path pidFile;

  @Override
  public Integer call() throws Exception {
    JsonObject conf = ConfigLoader.load(Path.of("conf", "override.yaml"), config, System.getenv(), sets);
    Node node = Node.start(conf);
    GracefulShutdown shutdown = GracefulShutdown.install(node);
    if (pidFile != null) {
      PidFile.write(pidFile);
    }
    System.out.println("Taskhub node " + node.config().getString("node.id") + " is up"
        + (node.config().getString("hub.url") == null ? "" : ": " + node.config().getString("hub.url") + "/"));
    shutdown.awaitStopped();
    if (pidFile != null) {
      PidFile.removeIfOurs(pidFile);
    }
    return 0;
  }
}
