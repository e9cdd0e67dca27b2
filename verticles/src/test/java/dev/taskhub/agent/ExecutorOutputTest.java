package dev.taskhub.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the agent takes from an executor's output: coalesced progress, bounded log and result, the first error. */
class ExecutorOutputTest {
  private final ExecutorOutput output = new ExecutorOutput(10, 40);

  @Test
  void progressIsCoalescedToTheLatestValueAndSentOnlyWhenItChanged() {
    output.stdout("Progress: 10%", "Progress: 10%");
    output.stdout("Progress: 30%", "Progress: 30%");
    output.stdout("Progress: copying", "Progress: copying");

    ExecutorOutput.Snapshot first = output.drain();
    assertThat(first.progress()).isEqualTo(30.0);
    assertThat(first.message()).isEqualTo("copying");
    assertThat(first.log()).isNull();
    assertThat(output.hasNews()).isFalse();
    assertThat(output.drain()).isEqualTo(new ExecutorOutput.Snapshot(null, null, null, null));
  }

  @Test
  void aSubtaskSetsTheDetailsAndItsTitleUntilItFinishes() {
    output.stdout("StartSubtask: {\"t\":\"resize\"}", "StartSubtask: {\"t\":\"resize\"}");
    ExecutorOutput.Snapshot started = output.drain();
    assertThat(started.message()).isEqualTo("resize");
    assertThat(started.details().getJsonObject("subtask").getString("t")).isEqualTo("resize");

    output.stdout("FinishSubtask:", "FinishSubtask:");
    assertThat(output.drain().details().containsKey("subtask")).isFalse();
  }

  @Test
  void resultDataIsJoinedByLinesAndCappedAtMaxResultChars() {
    output.stdout("ResultData: abcdef", "ResultData: abcdef");
    output.stdout("ResultData: ghijkl", "ResultData: ghijkl");

    assertThat(output.outcome(0, false).resultData()).isEqualTo("abcdef\nghi");
  }

  @Test
  void theFirstErrorIsTheTasksAndLaterOnesGoToTheLog() {
    output.stdout("ERROR: {\"type\":\"Broken\",\"message\":\"disk full\"}", "ERROR: first");
    output.stdout("ERROR: second", "ERROR: second");

    assertThat(output.outcome(1, false).error().getString("type")).isEqualTo("Broken");
    assertThat(output.drain().log()).isEqualTo("ERROR: second\n");
  }

  @Test
  void logBeyondThePendingCapIsDroppedAndTheDropIsSaid() {
    output.stdout("0123456789012345678", "0123456789012345678"); // 20 characters with its newline
    output.stderr("0123456789012345678");
    output.stderr("this line does not fit");

    assertThat(output.hasNews()).isTrue();
    assertThat(output.drain().log()).isEqualTo("0123456789012345678\n0123456789012345678\n"
        + "[taskhub] 23 characters of log dropped: the executor wrote faster than they could be stored\n");
    assertThat(output.hasNews()).isFalse();
  }

  @Test
  void aNulThatPostgreSqlCannotStoreBecomesTheReplacementCharacterWhereverTheExecutorWroteIt() {
    ExecutorOutput roomy = new ExecutorOutput(100, 1000);
    roomy.stdout("ResultData: a\0b", "ResultData: a\0b");
    roomy.stdout("a log line\0", "a log line\0");
    roomy.stderr("to stderr\0");
    roomy.stdout("StartSubtask: {\"id\":\"s\\u0000\",\"t\":\"step\"}", "StartSubtask: …");
    roomy.stdout("Progress: half\0way", "Progress: half\0way");
    roomy.stdout("ERROR: {\"type\":\"T\\u0000\",\"message\":\"m\",\"more\":[{\"k\\u0000\":\"v\\u0000\"}]}", "ERROR: …");
    ExecutorOutput.Snapshot first = roomy.drain();
    roomy.stdout("Progress: {\"op\":1,\"opm\":2,\"d\":\"x\\u0000y\"}", "Progress: {…}");
    ExecutorOutput.Snapshot second = roomy.drain();
    ExecutorRun.Outcome outcome = roomy.outcome(0, false);

    assertThat(first.message()).isEqualTo("half\uFFFDway");
    assertThat(first.details().getJsonObject("subtask").getString("id")).isEqualTo("s\uFFFD");
    assertThat(first.log()).isEqualTo("a log line\uFFFD\nto stderr\uFFFD\nStartSubtask: …\n");
    assertThat(second.message()).isEqualTo("x\uFFFDy");
    assertThat(second.details().getJsonObject("structured").getString("d")).isEqualTo("x\uFFFDy");
    assertThat(outcome.resultData()).isEqualTo("a\uFFFDb");
    assertThat(outcome.error().getString("type")).isEqualTo("T\uFFFD");
    assertThat(outcome.error().getJsonArray("more").getJsonObject(0).getString("k\uFFFD")).isEqualTo("v\uFFFD");
    assertThat(first.details().encode() + second.details().encode() + outcome.error().encode()).doesNotContain("\\u0000");
  }

  @Test
  void theAgentsOwnNotesAreMarked() {
    output.note("killed");

    assertThat(output.drain().log()).isEqualTo("[taskhub] killed\n");
  }
}
