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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code taskhub schedules} (a table) and {@code taskhub schedule set|pause|resume|delete}: the schedules' HTTP API. */
public final class ScheduleCommands {
  private static final String[] COLUMNS = {"NAME", "CRON", "TIMEZONE", "TYPE", "STATE", "NEXT RUN", "LAST RUN"};

  private ScheduleCommands() {
  }

  @Command(name = "schedules", mixinStandardHelpOptions = true, description = "List the recurring schedules and their next runs.")
  public static final class Schedules implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (a table, default) or json (the API's answer).")
    Output output = Output.text;

    @Override
    public Integer call() {
      JsonObject answer = server.api().get("/api/schedules");
      if (output == Output.json) {
        System.out.println(answer.encodePrettily());
        return ExitCodes.DONE;
      }
      JsonArray schedules = answer.getJsonArray("schedules");
      if (schedules.isEmpty()) {
        System.out.println("no schedules");
        return ExitCodes.DONE;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(COLUMNS);
      for (Object s : schedules) {
        JsonObject schedule = (JsonObject) s;
        rows.add(new String[] {schedule.getString("name"), schedule.getString("cron"), schedule.getString("timezone"),
            schedule.getJsonObject("task").getString("type"), schedule.getBoolean("paused") ? "paused" : "active",
            TaskText.time(schedule.getString("nextRunAt")), TaskText.time(schedule.getString("lastRunAt"))});
      }
      System.out.print(ListCommand.table(rows));
      return ExitCodes.DONE;
    }
  }

  @Command(name = "schedule", mixinStandardHelpOptions = true, description = "Create, replace, pause, resume or delete a schedule.",
      subcommands = {Set.class, Pause.class, Resume.class, Delete.class})
  public static final class Schedule implements Runnable {
    @Override
    public void run() {
      throw new CliException(ExitCodes.REFUSED, "say what to do: taskhub schedule set|pause|resume|delete NAME (see --help)");
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Create or replace a schedule: every tick of CRON in the time zone makes one task.",
          "Example: taskhub schedule set nightly-report --cron '0 30 2 * * *' --timezone Europe/Budapest "
              + "--type report --data '{\"format\": \"pdf\"}'"})
  public static final class Set implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(names = "--cron", required = true, paramLabel = "EXPRESSION",
        description = "5 fields (minute hour day-of-month month day-of-week) or 6 (second first).")
    String cron;

    @Option(names = "--timezone", paramLabel = "ZONE", description = "An IANA time zone (default UTC).")
    String timezone;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
      @Option(names = "--type", paramLabel = "TYPE", description = "The task type (with --data, --priority, --tag).")
      String type;

      @Option(names = "--task", paramLabel = "JSON", description = "The whole task, as POST /api/tasks takes it.")
      String task;
    }

    @Option(names = "--data", paramLabel = "JSON", description = "With --type: the task's data (default {}).")
    String data;

    @Option(names = "--priority", paramLabel = "P", description = "With --type: the task's priority.")
    String priority;

    @Option(names = "--tag", description = "With --type: the task's tag.")
    String tag;

    @Option(names = "--paused", description = "Create it paused.")
    boolean paused;

    @Override
    public Integer call() {
      JsonObject task;
      if (what.task != null) {
        task = json(what.task, "--task") instanceof JsonObject object ? object
            : fail("--task must be a JSON object: a task as POST /api/tasks takes it");
      } else {
        task = new JsonObject().put("type", what.type).put("priority", priority).put("tag", tag)
            .put("data", data == null ? null : json(data, "--data"));
        task.getMap().values().removeIf(v -> v == null);
      }
      JsonObject body = new JsonObject().put("cron", cron).put("task", task).put("paused", paused ? true : null)
          .put("timezone", timezone);
      body.getMap().values().removeIf(v -> v == null);
      JsonObject schedule = server.api().put("/api/schedules/" + name, body);
      System.out.println(ScheduleCommands.describe(schedule));
      return ExitCodes.DONE;
    }

    private static Object json(String text, String option) {
      try {
        return Json.decodeValue(text);
      } catch (DecodeException e) {
        throw new CliException(ExitCodes.REFUSED, option + " is not valid JSON: " + MalformedJson.reason(e));
      }
    }

    private static JsonObject fail(String message) {
      throw new CliException(ExitCodes.REFUSED, message);
    }
  }

  /** {@code PATCH {"action": …}}. */
  abstract static class Change implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    private final String action;

    Change(String action) {
      this.action = action;
    }

    @Override
    public Integer call() {
      System.out.println(describe(server.api().patch("/api/schedules/" + name, new JsonObject().put("action", action))));
      return ExitCodes.DONE;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule: no task until it is resumed.")
  public static final class Pause extends Change {
    public Pause() {
      super("pause");
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume a paused schedule from its next tick (ticks missed while paused are not made up).")
  public static final class Resume extends Change {
    public Resume() {
      super("resume");
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a schedule; the tasks it made stay.")
  public static final class Delete implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      server.api().delete("/api/schedules/" + name);
      System.out.println("schedule " + name + " deleted");
      return ExitCodes.DONE;
    }
  }

  /** "schedule nightly (0 30 2 * * * in Europe/Budapest, report): next run 2026-…" */
  static String describe(JsonObject schedule) {
    return "schedule " + schedule.getString("name") + " (" + schedule.getString("cron") + " in " + schedule.getString("timezone")
        + ", " + schedule.getJsonObject("task").getString("type") + "): "
        + (schedule.getBoolean("paused") ? "paused" : "next run " + TaskText.time(schedule.getString("nextRunAt")));
  }
}
