package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks, newest first, one page at a time.")
public final class ListCommand implements Callable<Integer> {
  private static final String[] COLUMNS = {"ID", "STATE", "PRIORITY", "TYPE", "PROGRESS", "CREATED", "MESSAGE"};

  @Mixin
  ServerOptions server;

  @Option(names = "--state", description = "Only tasks in this state: WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR or CANCELLED.")
  String state;

  @Option(names = "--type", description = "Only tasks of this type.")
  String type;

  @Option(names = "--tag", description = "Only tasks with this tag.")
  String tag;

  @Option(names = "--app", description = "Only tasks registered by this application.")
  String app;

  @Option(names = "--schedule", description = "Only tasks this schedule made.")
  String schedule;

  @Option(names = "--limit", paramLabel = "N", description = "Tasks per page (1-1000, default 50).")
  Integer limit;

  @Option(names = "--after", paramLabel = "ID", description = "The page after this id (the 'next' of the previous page).")
  Long after;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (a table, default) or json (the API's answer).")
  Output output = Output.text;

  @Override
  public Integer call() {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("state", state == null ? null : state.toUpperCase());
    query.put("type", type);
    query.put("tag", tag);
    query.put("app", app);
    query.put("schedule", schedule);
    query.put("limit", limit);
    query.put("after", after);
    StringBuilder path = new StringBuilder("/api/tasks");
    query.forEach((name, value) -> {
      if (value != null) {
        path.append(path.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
            .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
      }
    });
    JsonObject page = server.api().get(path.toString());
    if (output == Output.json) {
      System.out.println(page.encodePrettily());
      return ExitCodes.DONE;
    }
    JsonArray tasks = page.getJsonArray("tasks");
    if (tasks.isEmpty()) {
      System.out.println("no tasks");
      return ExitCodes.DONE;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(COLUMNS);
    for (Object t : tasks) {
      JsonObject task = (JsonObject) t;
      rows.add(new String[] {task.getLong("id").toString(), task.getString("state"), task.getString("priority"),
          task.getString("type"), TaskText.progress(task), TaskText.time(task.getString("createdAt")),
          TaskText.cut((TaskText.message(task) + " " + TaskText.subtask(task)).trim(), 60)});
    }
    System.out.print(table(rows));
    if (page.getValue("next") != null) {
      System.out.println("more: taskhub list --after " + page.getValue("next"));
    }
    return ExitCodes.DONE;
  }

  static String table(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
