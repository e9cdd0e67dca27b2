package dev.taskhub.launcher.bench;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;

/**
 * Where the figures go: a readable table on stdout, one line per figure as it is measured; or, with {@code --json},
 * one JSON object with every figure and the settings on stdout at the end, the table's lines going to stderr as
 * progress. A section not measured ({@code --backlog 0}, no {@code --dispatch}) is null in the JSON.
 */
final class BenchReport {
  private static final int LABEL = 26;

  private final boolean json;
  private final PrintStream table;
  private final JsonObject figures = new JsonObject();

  BenchReport(boolean json) {
    this.json = json;
    this.table = json ? System.err : System.out;
    for (String section : new String[] {"settings", "processStartCeiling", "throughput", "databaseCost", "httpToRunning",
        "eventBusLatency", "backlog", "dispatch"}) {
      figures.putNull(section);
    }
  }

  void settings(JsonObject settings, String line) {
    figures.put("settings", settings);
    table.println(line);
  }

  /** Records a section's figures and prints its line in the table. */
  void figure(String section, JsonObject values, String label, String line) {
    figures.put(section, values);
    line(label, line);
  }

  /** A line of the table whose figures went into a section already. */
  void line(String label, String line) {
    table.println(String.format("%-" + LABEL + "s%s", label, line));
    table.flush();
  }

  /** What is being done: on stderr, beside the node's log, so that stdout holds only figures. */
  void note(String line) {
    System.err.println(line);
  }

  JsonObject figures() {
    return figures;
  }

  /** With {@code --json}: prints the object. */
  void finish() {
    if (json) {
      System.out.println(figures.encodePrettily());
      System.out.flush();
    }
  }
}
