package dev.taskhub.feature;

import dev.taskhub.testing.Cli;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskhub bench} end to end, run from taskhub.jar as a user runs it, with tiny numbers on the embedded
 * PostgreSQL: every figure is in the JSON and sane. Its speed is not tested here; the figures are the bench's output.
 */
@Timeout(150)
class BenchTest {

  @Test
  void benchPrintsEveryFigureAsOneJsonObject() throws Exception {
    Cli.Result result = new Cli().run("bench", "--tasks", "30", "--backlog", "200", "--seconds", "1", "--json");

    assertThat(result.exitCode()).as(result::toString).isZero();
    JsonObject figures = new JsonObject(result.out());
    assertThat(figures.fieldNames()).containsExactlyInAnyOrder("settings", "processStartCeiling", "throughput",
        "databaseCost", "httpToRunning", "eventBusLatency", "backlog", "dispatch");

    JsonObject settings = figures.getJsonObject("settings");
    assertThat(settings.getInteger("cores")).isPositive();
    assertThat(settings.getInteger("agents")).isEqualTo(8);
    assertThat(settings.getString("java")).isNotBlank();
    assertThat(settings.getString("postgres")).isNotBlank();
    assertThat(settings.getString("database")).isEqualTo("embedded");
    // The embedded PostgreSQL is durable: its figures count.
    assertThat(settings.getString("fsync")).isEqualTo("on");
    assertThat(settings.getString("synchronousCommit")).isEqualTo("on");
    assertThat(settings.getBoolean("durable")).isTrue();
    assertThat(result.err()).doesNotContain("NOT DURABLE");

    assertThat(figures.getJsonObject("processStartCeiling").getDouble("startsPerSecond")).isPositive();
    JsonObject throughput = figures.getJsonObject("throughput");
    assertThat(throughput.getInteger("tasks")).isEqualTo(30);
    assertThat(throughput.getDouble("tasksPerSecond")).isPositive();
    assertThat(throughput.getDouble("ofCeiling")).isPositive();
    assertThat(throughput.getDouble("registeredPerSecond")).isPositive();

    // Every task is inserted, claimed and completed: at least three row writes, all inside the measured window.
    JsonObject cost = figures.getJsonObject("databaseCost");
    assertThat(cost.getDouble("commitsPerTask")).isPositive();
    assertThat(cost.getDouble("statementsPerTask")).isPositive();
    assertThat(cost.getDouble("rowWritesPerTask")).isGreaterThanOrEqualTo(3.0);

    JsonObject http = figures.getJsonObject("httpToRunning");
    assertThat(http.getInteger("samples")).isEqualTo(40);
    assertThat(http.getDouble("p50Ms")).isPositive().isLessThan(10_000.0);
    assertThat(http.getDouble("p95Ms")).isGreaterThanOrEqualTo(http.getDouble("p50Ms"));
    assertThat(http.getDouble("maxMs")).isGreaterThanOrEqualTo(http.getDouble("p95Ms"));
    assertThat(http.getDouble("postAnsweredP50Ms")).isPositive();

    JsonObject bus = figures.getJsonObject("eventBusLatency");
    assertThat(bus.getDouble("toRunningP50Ms")).isPositive();
    assertThat(bus.getDouble("toDoneP50Ms")).isGreaterThan(bus.getDouble("toRunningP50Ms"));

    JsonObject backlog = figures.getJsonObject("backlog");
    assertThat(backlog.getInteger("queued")).isEqualTo(200);
    assertThat(backlog.getDouble("smallBacklogTasksPerSecond")).isPositive();
    assertThat(backlog.getDouble("largeBacklogTasksPerSecond")).isPositive();
    assertThat(backlog.getDouble("ratio")).isPositive();
    assertThat(backlog.getDouble("heapBeforeMb")).isPositive();
    assertThat(backlog.getDouble("heapAfterMb")).isPositive();

    assertThat(figures.getValue("dispatch")).isNull();
  }
}
