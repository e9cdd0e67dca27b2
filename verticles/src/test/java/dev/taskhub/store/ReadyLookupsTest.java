package dev.taskhub.store;

import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every lookup of READY tasks reads a handful of rows however many are READY, whatever the planner's statistics say.
 * A queue's statistics are stale by nature: taken while READY rows were rare (finished tasks kept, a quiet hour), they
 * once led the claim to read every READY row through the index on run_at and sort them, on each claim of the next
 * burst: a burst of n tasks cost n² row reads.
 */
class ReadyLookupsTest extends StoreTest {
  /** More READY rows than any lookup here may read; the statistics were taken before they came. */
  static final int BURST = 3000;
  /** What a lookup may read: the rows it returns or tests, a few index probes, the row it updates. */
  static final int FEW = 20;

  @BeforeEach
  void readyBurstUnseenByTheStatistics() throws Exception {
    TestDatabase.execute(url, "INSERT INTO taskhub.task (type, state, priority, data, started_at, finished_at) "
        + "SELECT 't', 'DONE', 2, '{}', now() - interval '1 hour', now() - interval '1 hour' FROM generate_series(1, " + BURST + ")");
    TestDatabase.execute(url, "ANALYZE taskhub.task");
    TestDatabase.execute(url, "INSERT INTO taskhub.task (type, state, priority, data, run_at) "
        + "SELECT 't', 'READY', 2, '{}', now() - interval '1 minute' FROM generate_series(1, " + BURST + ")");
  }

  @Test
  void aClaimReadsOnlyTheRowsItTakes() throws Exception {
    assertThat(rowsRead(ClaimTask.CLAIM, "text[], text[], uuid[], text[], int, int, int",
        "'{a1}', '{n1}', ARRAY[gen_random_uuid()], '{t}', 1, 30, 10000")).isLessThanOrEqualTo(FEW);
  }

  @Test
  void aClaimWithinLimitsReadsOnlyTheRowsItTakes() throws Exception {
    TestDatabase.execute(url, "INSERT INTO taskhub.type_setting (type, max_running) VALUES ('t', 100)");
    assertThat(rowsRead(ClaimWithinLimits.CLAIM, "text[], text[], uuid[], text[], int, int, int, text, text[]",
        "'{a1}', '{n1}', ARRAY[gen_random_uuid()], '{t}', 1, 30, 10000, 'n1', '{t}'")).isLessThanOrEqualTo(FEW);
  }

  @Test
  void askingWhetherALimitedTypeHasRoomReadsAFewRows() throws Exception {
    TestDatabase.execute(url, "INSERT INTO taskhub.type_setting (type, max_running) VALUES ('t', 100)");
    assertThat(rowsRead(ReadTypeSettings.ROOM, "text, text[], bigint", "'t', '{n1}', 1000")).isLessThanOrEqualTo(FEW);
  }

  @Test
  void findingTypesThatBecameDueReadsAFewRows() throws Exception {
    assertThat(rowsRead(DueTasks.DUE_SINCE, "timestamptz", "now() - interval '1 hour'")).isLessThanOrEqualTo(FEW);
    assertThat(store.dueTasks().typesDueSince(java.time.Instant.now().minusSeconds(3600)).await().types()).containsExactly("t");
  }

  @Test
  void findingTypesThatWaitedTooLongReadsAFewRows() throws Exception {
    TestDatabase.execute(url, "UPDATE taskhub.task SET run_at = now() WHERE state = 'READY'");
    assertThat(rowsRead(DueTasks.WAITING, "float8", "5")).isLessThanOrEqualTo(FEW);
  }

  /**
   * Runs {@code sql} once with these arguments under EXPLAIN ANALYZE, in a transaction it rolls back, and adds up the
   * rows its scans of the task table produced or filtered out: what it read.
   */
  long rowsRead(String sql, String parameterTypes, String arguments) throws Exception {
    try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("PREPARE lookup(" + parameterTypes + ") AS " + sql);
      try (ResultSet plan = s.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE lookup(" + arguments + ")")) {
        plan.next();
        long read = rowsRead(new JsonArray(plan.getString(1)).getJsonObject(0).getJsonObject("Plan"));
        c.rollback();
        return read;
      }
    }
  }

  static long rowsRead(JsonObject node) {
    long read = 0;
    if ("task".equals(node.getString("Relation Name")) && node.getString("Node Type").contains("Scan")) {
      // EXPLAIN shows each count per loop.
      read += node.getLong("Actual Loops") * (node.getLong("Actual Rows")
          + node.getLong("Rows Removed by Filter", 0L) + node.getLong("Rows Removed by Index Recheck", 0L));
    }
    for (Object child : node.getJsonArray("Plans", new JsonArray())) {
      read += rowsRead((JsonObject) child);
    }
    return read;
  }
}
