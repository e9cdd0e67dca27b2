package dev.taskhub.launcher.cli;

import dev.taskhub.api.MalformedJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Register a task. With --wait, follow it to its end: a live progress bar on a terminal, "
        + "a line per change otherwise.",
        "Exit codes with --wait: 0 DONE, 1 ERROR, 3 CANCELLED; 2 when refused or no server answers."})
public final class SubmitCommand implements Callable<Integer> {

  @Mixin
  ServerOptions server;

  @Parameters(index = "0", paramLabel = "TYPE", description = "The task type: the name of an executor.")
  String type;

  @ArgGroup(exclusive = true)
  Data data;

  static final class Data {
    @Option(names = "--data", paramLabel = "JSON", description = "The task's data, as JSON (default {}).")
    String json;

    @Option(names = "--data-file", paramLabel = "FILE", description = "Read the task's data from a JSON file ('-': standard input).")
    Path file;
  }

  @Option(names = "--priority", paramLabel = "P", description = "Immediately, Important, Normal (default) or Unimportant.")
  String priority;

  @Option(names = "--title", description = "A title for people (default: the type).")
  String title;

  @Option(names = "--tag", description = "A category to find the task by (list --tag).")
  String tag;

  @Option(names = "--app", description = "The application that registers it (list --app).")
  String app;

  @Option(names = "--key", description = "Deduplication key: while a live task holds it, that task is answered instead.")
  String key;

  @ArgGroup(exclusive = true)
  When when;

  static final class When {
    @Option(names = "--run-at", paramLabel = "TIME", description = "Earliest start, ISO-8601 UTC (2026-01-31T12:00:00Z).")
    String runAt;

    @Option(names = "--delay", paramLabel = "SECONDS", description = "Earliest start, in seconds from now.")
    Integer delaySeconds;
  }

  @Option(names = "--depends-on", paramLabel = "ID", split = ",",
      description = "Ids of tasks that must end first (repeat, or separate with commas).")
  List<Long> dependsOn;

  @Option(names = "--run-if", paramLabel = "WHEN", description = "With --depends-on: success (default) or always.")
  String runIf;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Wall-clock limit of one attempt.")
  Integer timeoutSeconds;

  @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts in all, with backoff between them (default 1).")
  Integer maxAttempts;

  @Option(names = "--finalize-url", paramLabel = "URL", description = "Called (POST, signed) with the task when it ends.")
  String finalizeUrl;

  @Option(names = "--wait", description = "Follow the task until it ends; the exit code says how it ended.")
  boolean wait;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json.")
  Output output = Output.text;

  @Override
  public Integer call() {
    JsonObject spec = new JsonObject().put("type", type).put("data", data())
        .put("priority", priority).put("title", title).put("tag", tag).put("app", app).put("key", key)
        .put("runAt", when == null ? null : when.runAt).put("delaySeconds", when == null ? null : when.delaySeconds)
        .put("dependsOn", dependsOn == null ? null : new JsonArray(dependsOn)).put("runIf", runIf)
        .put("timeoutSeconds", timeoutSeconds).put("maxAttempts", maxAttempts).put("finalizeUrl", finalizeUrl);
    spec.getMap().values().removeIf(v -> v == null); // the server's defaults, and its checks, for the rest
    TaskhubApi api = server.api();
    JsonObject task = api.post("/api/tasks", spec);
    if (!wait) {
      System.out.println(output == Output.json ? task.encodePrettily()
          : "registered " + TaskText.headline(task) + ", priority " + task.getString("priority"));
      return ExitCodes.DONE;
    }
    JsonObject end = new FollowTask(api, output == Output.json ? null : ProgressView.forThisTerminal()).follow(task);
    if (output == Output.json) {
      System.out.println(api.get("/api/tasks/" + task.getLong("id")).encodePrettily()); // with its data, unlike events
    }
    return ExitCodes.of(end.getString("state"));
  }

  private Object data() {
    if (data == null) {
      return new JsonObject();
    }
    String text;
    String from;
    if (data.json != null) {
      text = data.json;
      from = "--data";
    } else {
      from = "--data-file " + data.file;
      try {
        text = data.file.toString().equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(data.file);
      } catch (IOException e) {
        throw new CliException(ExitCodes.REFUSED, "cannot read " + data.file + ": " + e.getMessage());
      }
    }
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new CliException(ExitCodes.REFUSED, from + " is not valid JSON: " + MalformedJson.reason(e));
    }
  }
}
