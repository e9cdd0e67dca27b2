package dev.taskhub.hub;

import dev.taskhub.api.Priority;
import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * How many tasks are in each state, by type and priority: what {@code GET /api/stats} answers and the
 * {@code taskhub_tasks} gauge shows, kept in memory so that neither costs a query. A hub moves a count with every
 * transition it makes itself (one array slot, no allocation) and keeps the moves for the other hubs, which it tells a
 * few times a second ({@link #drainMoves}, {@link #apply}); what no hub sees — dependents settled inside a statement,
 * a priority change — and what a lost message left out are corrected by {@link #replace}, from the periodic count of
 * the whole table that one hub makes and publishes ({@link ReconcileTaskCounts}).
 */
final class TaskCounts {
  private static final TaskState[] STATES = TaskState.values();
  private static final Priority[] PRIORITIES = Priority.values();

  /** Per type: one slot per priority and state, {@code priority.ordinal() * STATES.length + state.ordinal()}. */
  private final Map<String, AtomicLongArray> byType = new ConcurrentHashMap<>();
  private final Consumer<String> onNewType;
  private Map<String, long[]> moves = new HashMap<>(); // this hub's, since the last drain; guarded by this

  /** {@code onNewType} is told once of each type, the first time it is counted (to register its gauges). */
  TaskCounts(Consumer<String> onNewType) {
    this.onNewType = onNewType;
  }

  void add(String type, Priority priority, TaskState state, long delta) {
    int slot = priority.ordinal() * STATES.length + state.ordinal();
    slots(type).addAndGet(slot, delta);
    record(type, slot, delta);
  }

  void move(String type, Priority priority, TaskState from, TaskState to) {
    if (from != to) {
      add(type, priority, from, -1);
      add(type, priority, to, 1);
    }
  }

  private synchronized void record(String type, int slot, long delta) {
    moves.computeIfAbsent(type, t -> new long[PRIORITIES.length * STATES.length])[slot] += delta;
  }

  /** This hub's moves since the last call, {@code {type: [delta per slot]}}, or null when there were none. */
  synchronized JsonObject drainMoves() {
    if (moves.isEmpty()) {
      return null;
    }
    JsonObject json = new JsonObject();
    moves.forEach((type, deltas) -> {
      JsonArray slots = new JsonArray();
      for (long d : deltas) {
        slots.add(d);
      }
      json.put(type, slots);
    });
    moves = new HashMap<>();
    return json;
  }

  /** Another hub's moves, as {@link #drainMoves} gave them. */
  void apply(JsonObject otherMoves) {
    otherMoves.forEach(e -> {
      JsonArray deltas = (JsonArray) e.getValue();
      AtomicLongArray slots = slots(e.getKey());
      for (int i = 0; i < Math.min(deltas.size(), slots.length()); i++) {
        slots.addAndGet(i, deltas.getLong(i));
      }
    });
  }

  /** Tasks of this type in this state, any priority; never below zero, even while a count drifts. */
  long count(String type, TaskState state) {
    AtomicLongArray slots = byType.get(type);
    if (slots == null) {
      return 0;
    }
    long n = 0;
    for (Priority p : PRIORITIES) {
      n += slots.get(p.ordinal() * STATES.length + state.ordinal());
    }
    return Math.max(0, n);
  }

  /** Every type counted so far. */
  Set<String> types() {
    return new TreeSet<>(byType.keySet());
  }

  /** {@code {state: n}} of one type, every state (zeros too). */
  JsonObject typeJson(String type) {
    JsonObject json = new JsonObject();
    for (TaskState s : STATES) {
      json.put(s.name(), count(type, s));
    }
    return json;
  }

  /** Takes the counts of a whole-table count: rows {@code [type, priority rank, state, n]}. */
  void replace(JsonArray rows) {
    Map<String, long[]> fresh = new HashMap<>();
    for (Object o : rows) {
      JsonArray row = (JsonArray) o;
      long[] slots = fresh.computeIfAbsent(row.getString(0), t -> new long[PRIORITIES.length * STATES.length]);
      slots[Priority.ofRank(row.getInteger(1)).ordinal() * STATES.length + TaskState.valueOf(row.getString(2)).ordinal()]
          = row.getLong(3);
    }
    Set<String> types = new HashSet<>(byType.keySet());
    types.addAll(fresh.keySet());
    for (String type : types) {
      long[] values = fresh.get(type);
      AtomicLongArray slots = slots(type);
      for (int i = 0; i < slots.length(); i++) {
        slots.set(i, values == null ? 0 : values[i]);
      }
    }
  }

  /** {@code {"byState": {every state: n}, "byPriority": {p: {state: n}}, "byType": {type: {state: n}}}}, as before. */
  JsonObject statsJson() {
    long[] states = new long[STATES.length];
    long[][] priorities = new long[PRIORITIES.length][STATES.length];
    JsonObject byType = new JsonObject();
    byType().forEach((type, slots) -> {
      JsonObject perState = new JsonObject();
      for (TaskState s : STATES) {
        long n = 0;
        for (Priority p : PRIORITIES) {
          long v = Math.max(0, slots.get(p.ordinal() * STATES.length + s.ordinal()));
          priorities[p.ordinal()][s.ordinal()] += v;
          n += v;
        }
        states[s.ordinal()] += n;
        if (n > 0) {
          perState.put(s.name(), n);
        }
      }
      if (!perState.isEmpty()) {
        byType.put(type, perState);
      }
    });
    JsonObject byState = new JsonObject();
    for (TaskState s : STATES) {
      byState.put(s.name(), states[s.ordinal()]);
    }
    JsonObject byPriority = new JsonObject();
    for (Priority p : PRIORITIES) {
      JsonObject perState = new JsonObject();
      for (TaskState s : STATES) {
        if (priorities[p.ordinal()][s.ordinal()] > 0) {
          perState.put(s.name(), priorities[p.ordinal()][s.ordinal()]);
        }
      }
      if (!perState.isEmpty()) {
        byPriority.put(p.name(), perState);
      }
    }
    return new JsonObject().put("byState", byState).put("byPriority", byPriority).put("byType", byType);
  }

  private Map<String, AtomicLongArray> byType() {
    return new TreeMap<>(byType);
  }

  private AtomicLongArray slots(String type) {
    AtomicLongArray slots = byType.get(type);
    if (slots == null) {
      slots = byType.computeIfAbsent(type, t -> new AtomicLongArray(PRIORITIES.length * STATES.length));
      onNewType.accept(type);
    }
    return slots;
  }
}
