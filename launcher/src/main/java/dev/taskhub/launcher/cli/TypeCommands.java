package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code taskhub types} (a table) and {@code taskhub type set|show}: the per-type settings' HTTP API. */
public final class TypeCommands {
  private static final String[] COLUMNS = {"TYPE", "READY", "RUNNING", "MAX RUNNING", "PER NODE", "MAX ATTEMPTS", "TIMEOUT",
      "PRIORITY", "EXECUTORS"};
  /** What a user writes to clear a setting. */
  private static final String NONE = "none";

  private TypeCommands() {
  }

  @Command(name = "types", mixinStandardHelpOptions = true,
      description = "List the task types: their limits and defaults, their READY and RUNNING tasks, the nodes with an executor.")
  public static final class Types implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (a table, default) or json (the API's answer).")
    Output output = Output.text;

    @Override
    public Integer call() {
      JsonObject answer = server.api().get("/api/types");
      if (output == Output.json) {
        System.out.println(answer.encodePrettily());
        return ExitCodes.DONE;
      }
      JsonArray types = answer.getJsonArray("types");
      if (types.isEmpty()) {
        System.out.println("no types: no task, setting or executor yet");
        return ExitCodes.DONE;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(COLUMNS);
      for (Object t : types) {
        JsonObject type = (JsonObject) t;
        JsonObject settings = type.getJsonObject("settings");
        JsonObject counts = type.getJsonObject("counts");
        long executors = type.getJsonArray("nodes").stream().filter(n -> ((JsonObject) n).getBoolean("executor")).count();
        rows.add(new String[] {type.getString("type"), String.valueOf(counts.getLong("READY", 0L)),
            String.valueOf(counts.getLong("RUNNING", 0L)), text(settings, "maxRunning"), text(settings, "maxRunningPerNode"),
            text(settings, "maxAttempts"), settings.getValue("timeoutSeconds") == null ? "-" : settings.getValue("timeoutSeconds") + " s",
            text(settings, "priority"), executors + (executors == 1 ? " node" : " nodes")});
      }
      System.out.print(ListCommand.table(rows));
      return ExitCodes.DONE;
    }
  }

  @Command(name = "type", mixinStandardHelpOptions = true, description = "Set or show one task type's limits and defaults.",
      subcommands = {Set.class, Show.class})
  public static final class Type implements Runnable {
    @Override
    public void run() {
      throw new CliException(ExitCodes.REFUSED, "say what to do: taskhub type set|show TYPE (see --help)");
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Set some of a type's settings; the others stay. 'none' clears one (no limit, or the built-in default).",
          "Example: taskhub type set report --max-running 2 --max-running-per-node 1 --max-attempts 3 --timeout 600 --priority Important"})
  public static final class Set implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "TYPE", description = "The task type.")
    String type;

    @Option(names = "--max-running", paramLabel = "N|none", description = "RUNNING tasks of the type in the whole cluster (0: none start).")
    String maxRunning;

    @Option(names = "--max-running-per-node", paramLabel = "N|none", description = "RUNNING tasks of the type on one node.")
    String maxRunningPerNode;

    @Option(names = "--max-attempts", paramLabel = "N|none", description = "Attempts of a registration that does not say.")
    String maxAttempts;

    @Option(names = "--timeout", paramLabel = "SECONDS|none", description = "Time limit of an attempt of a registration that does not say.")
    String timeoutSeconds;

    @Option(names = "--priority", paramLabel = "P|none", description = "Priority of a registration that does not say.")
    String priority;

    @Override
    public Integer call() {
      JsonObject body = new JsonObject();
      Map<String, String> numbers = new java.util.LinkedHashMap<>();
      numbers.put("maxRunning", maxRunning);
      numbers.put("maxRunningPerNode", maxRunningPerNode);
      numbers.put("maxAttempts", maxAttempts);
      numbers.put("timeoutSeconds", timeoutSeconds);
      numbers.forEach((field, value) -> {
        if (value != null) {
          body.put(field, NONE.equalsIgnoreCase(value.trim()) ? null : number(field, value));
        }
      });
      if (priority != null) {
        body.put("priority", NONE.equalsIgnoreCase(priority.trim()) ? null : priority.trim());
      }
      if (body.isEmpty()) {
        throw new CliException(ExitCodes.REFUSED, "say what to set: --max-running, --max-running-per-node, --max-attempts, "
            + "--timeout or --priority (see --help)");
      }
      System.out.println(describe(server.api().put("/api/types/" + type, body)));
      return ExitCodes.DONE;
    }

    /** The server checks the range; the command only refuses what is not a number at all. */
    private static Object number(String field, String value) {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new CliException(ExitCodes.REFUSED, "'" + field + "' takes a whole number or none, not '" + value + "'");
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one type's settings, counts and nodes.")
  public static final class Show implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "TYPE", description = "The task type.")
    String type;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json (the API's answer).")
    Output output = Output.text;

    @Override
    public Integer call() {
      JsonObject answer = server.api().get("/api/types/" + type);
      System.out.println(output == Output.json ? answer.encodePrettily() : describe(answer));
      return ExitCodes.DONE;
    }
  }

  /** "type report: maxRunning 2, maxAttempts 3 (others unset); 4 READY, 2 RUNNING; executors on node-a, node-b" */
  static String describe(JsonObject type) {
    JsonObject settings = type.getJsonObject("settings");
    List<String> set = new ArrayList<>();
    settings.forEach(e -> {
      if (e.getValue() != null) {
        set.add(e.getKey() + " " + e.getValue());
      }
    });
    JsonObject counts = type.getJsonObject("counts");
    List<String> nodes = new ArrayList<>();
    for (Object n : type.getJsonArray("nodes", new JsonArray())) {
      JsonObject node = (JsonObject) n;
      nodes.add(node.getString("id") + (node.getLong("running", 0L) > 0 ? " (" + node.getLong("running") + " running)" : "")
          + (node.getBoolean("executor", false) ? "" : " (no executor)") + (node.getBoolean("gone", false) ? " (gone)" : ""));
    }
    return "type " + type.getString("type") + ": " + (set.isEmpty() ? "no settings" : String.join(", ", set)) + "; "
        + counts.getLong("READY", 0L) + " READY, " + counts.getLong("RUNNING", 0L) + " RUNNING; "
        + (nodes.isEmpty() ? "no node has an executor for it" : "nodes " + String.join(", ", nodes));
  }

  private static String text(JsonObject settings, String field) {
    Object value = settings.getValue(field);
    return value == null ? "-" : value.toString();
  }
}
