package dev.taskhub.store;

import dev.taskhub.api.Priority;
import dev.taskhub.api.TypeSettings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of the per-type settings ({@link TypeSettings}): one type's, every type's, and whether a limited type has room. */
public final class ReadTypeSettings {
  static final String COLUMNS = "type, max_running, max_running_per_node, max_attempts, timeout_seconds, priority";

  private final Pool pool;

  ReadTypeSettings(Pool pool) {
    this.pool = pool;
  }

  /** The type's settings; {@link TypeSettings#NONE} when it has none. */
  public Future<TypeSettings> get(String type) {
    return Sql.prepared(pool, "SELECT " + COLUMNS + " FROM taskhub.type_setting WHERE type = $1").execute(Tuple.of(type))
        .map(rows -> rows.size() == 0 ? TypeSettings.NONE : settings(rows.iterator().next()));
  }

  /** Every type that has settings, by name (a table of a row per configured type: read whole). */
  public Future<Map<String, TypeSettings>> all() {
    return Sql.simple(pool, "SELECT " + COLUMNS + " FROM taskhub.type_setting ORDER BY type").execute()
        .map(rows -> {
          Map<String, TypeSettings> all = new LinkedHashMap<>();
          rows.forEach(r -> all.put(r.getString("type"), settings(r)));
          return all;
        });
  }

  /**
   * Whether a task of a limited type could start now on one of {@code nodes}: a READY task of the type is due, the type
   * is under its {@code maxRunning}, and one of these nodes under its {@code maxRunningPerNode}; with no node given, any
   * node counts as having room. A task that ended within the last {@code reservedMillis} still counts as running: the
   * agent that ran it is asking for its next task at this very moment, and will take its slot.
   */
  public Future<Boolean> roomOn(String type, List<String> nodes, long reservedMillis) {
    return Sql.prepared(pool, ROOM)
        .execute(Tuple.tuple()
            .addString(type)                                   // $1
            .addArrayOfString(nodes.toArray(new String[0]))    // $2 the nodes that may have room; none: any
            .addLong(reservedMillis))                          // $3 how recent an ending still holds its slot
        .map(rows -> rows.iterator().next().getBoolean("room"));
  }

  /**
   * One row, one value. Each count reads only what it counts, through an index: RUNNING tasks (task_state_id),
   * or the latest endings (task_finished, by finished_at), never the type's whole history.
   */
  private static final String HOLDING = "((SELECT count(*) FROM taskhub.task r WHERE r.state = 'RUNNING' AND r.type = $1 %1$s)"
      + " + (SELECT count(*) FROM taskhub.task r WHERE r.state IN ('DONE', 'ERROR', 'CANCELLED') AND r.type = $1 %1$s"
      + "    AND r.finished_at > now() - make_interval(secs => $3 / 1000.0)))";

  static final String ROOM = "SELECT EXISTS (SELECT 1 FROM taskhub.task WHERE state = 'READY' AND type = $1 AND run_at <= now()) "
      + "AND coalesce((SELECT (s.max_running IS NULL OR " + String.format(HOLDING, "") + " < s.max_running)"
      + "    AND (s.max_running_per_node IS NULL OR cardinality($2::text[]) = 0 OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS n(node)"
      + "      WHERE " + String.format(HOLDING, "AND r.node = n.node") + " < s.max_running_per_node))"
      + "  FROM taskhub.type_setting s WHERE s.type = $1), true) AS room";

  static TypeSettings settings(Row r) {
    Short priority = r.getShort("priority");
    return new TypeSettings(r.getInteger("max_running"), r.getInteger("max_running_per_node"), r.getInteger("max_attempts"),
        r.getInteger("timeout_seconds"), priority == null ? null : Priority.ofRank(priority));
  }
}
