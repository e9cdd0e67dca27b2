package dev.taskhub.launcher.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The bench's arithmetic on inputs whose answers are known. */
class BenchFiguresTest {

  @Test
  void percentilesAreNearestRanksOfTheSample() {
    List<Double> values = new ArrayList<>(IntStream.rangeClosed(1, 40).mapToObj(i -> (double) i).toList());
    Collections.shuffle(values);

    Percentiles p = Percentiles.of(values);

    assertThat(p.samples()).isEqualTo(40);
    assertThat(p.p50()).isEqualTo(20.0);
    assertThat(p.p95()).isEqualTo(38.0);
    assertThat(p.max()).isEqualTo(40.0);
  }

  @Test
  void oneSampleIsItsOwnMedianAndMaximum() {
    assertThat(Percentiles.of(List.of(7.5))).isEqualTo(new Percentiles(1, 7.5, 7.5, 7.5));
    assertThat(Percentiles.of(List.of(3.0, 1.0)).p50()).isEqualTo(1.0);
  }

  @Test
  void noSamplesHaveNoPercentiles() {
    assertThatThrownBy(() -> Percentiles.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agentsBusyCountsRunTimeFromTheFirstStartToTheLastClaim() {
    // Two agents: A runs 0-10 s and 10-20 s; B runs 0-10 s, waits, runs 12-20 s. The last claim is at 12 s: after it
    // nothing waited, so the window is 0-12 s: A was busy 12 s of it, B 10 s.
    List<BusyShare.Run> runs = List.of(run(0, 10), run(10, 20), run(0, 10), run(12, 20));

    BusyShare busy = BusyShare.of(runs, 2);

    assertThat(busy.windowSeconds()).isEqualTo(12.0);
    assertThat(busy.share()).isCloseTo(22.0 / 24.0, within(1e-9));
  }

  @Test
  void agentsThatNeverWaitedAreFullyBusy() {
    List<BusyShare.Run> runs = List.of(run(0, 2), run(2, 4), run(0, 2), run(2, 4));

    assertThat(BusyShare.of(runs, 2).share()).isEqualTo(1.0);
    assertThat(BusyShare.of(List.of(run(5, 7)), 1).share()).isEqualTo(1.0);
  }

  @Test
  void agentsThatGotNothingLowerTheShare() {
    // Four agents, but only two ever ran anything.
    List<BusyShare.Run> runs = List.of(run(0, 2), run(2, 4), run(0, 2), run(2, 4));

    assertThat(BusyShare.of(runs, 4).share()).isEqualTo(0.5);
  }

  @Test
  void databaseCostIsTheDifferenceOfTwoReadingsPerTask() {
    DatabaseCost.Counters before = new DatabaseCost.Counters(1000, 500, 40);
    DatabaseCost.Counters after = new DatabaseCost.Counters(7000, 9500, 12040);

    DatabaseCost.PerTask perTask = DatabaseCost.PerTask.of(after.minus(before), 3000);

    assertThat(perTask.commits()).isEqualTo(2.0);
    assertThat(perTask.statements()).isEqualTo(3.0);
    assertThat(perTask.rowWrites()).isEqualTo(4.0);
    assertThat(perTask.toJson().fieldNames()).containsExactlyInAnyOrder("tasks", "commitsPerTask", "statementsPerTask", "rowWritesPerTask");
  }

  @Test
  void throughputIsTasksOverTheWholeRunAndItsShareOfTheCeiling() {
    Throughput.Result run = new Throughput.Result(3000, 10.0, 6000);
    ProcessStartCeiling.Result ceiling = new ProcessStartCeiling.Result(8, 600);

    assertThat(run.tasksPerSecond()).isEqualTo(300.0);
    assertThat(run.toJson(ceiling).getDouble("ofCeiling")).isEqualTo(0.5);
    assertThat(run.describe(ceiling)).contains("300 tasks/s").contains("50.0% of the process-start ceiling");
  }

  @Test
  void theLatencyStampAndTheClockShareOneScale() {
    assertThat(HttpToRunningLatency.epochNanos(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)))
        .isEqualTo(1_700_000_000_123_456_789L);
  }

  private static BusyShare.Run run(int startSecond, int endSecond) {
    return new BusyShare.Run(Instant.ofEpochSecond(startSecond), Instant.ofEpochSecond(endSecond));
  }
}
