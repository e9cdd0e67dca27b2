package dev.taskhub.launcher.cli;

import dev.taskhub.api.MalformedJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
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

  @Option(names = "--tag", description = "A category to find the task by (list --tag).")
  String tag;

  @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts in all, with backoff between them (default 1).")
  Integer maxAttempts;

  @Option(names = "--wait", description = "Follow the task until it ends; the exit code says how it ended.")
  boolean wait;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json.")
  Output output = Output.text;

  @Override
  public Integer call() {
    JsonObject spec = new JsonObject().put("type", type).put("data", data())
        .put("priority", priority).put("tag", tag).put("maxAttempts", maxAttempts);
    spec.getMap().values().removeIf(v -> v == null);
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
