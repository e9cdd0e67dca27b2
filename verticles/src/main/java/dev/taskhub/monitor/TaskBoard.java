package dev.taskhub.monitor;

import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tasks the monitor shows: every running task, the newest queued ones and the most recently finished ones, each
 * group bounded, so a backlog of millions costs the monitor a fixed amount of memory. It remembers which tasks
 * changed (or fell off the board) since the last update, so an update carries only those. One event-loop context.
 */
final class TaskBoard {
  /** The fields a page needs of a task, in the compact form the stream carries (no data, no result, no nulls). */
  private static final List<String> FIELDS = List.of("id", "type", "title", "state", "priority", "progress",
      "progressMessage", "attempts", "maxAttempts", "agent", "node", "tag", "app", "schedule", "scheduledFor", "createdAt",
      "startedAt", "finishedAt");
  private static final int MAX_TEXT = 200;

  private record Entry(JsonObject view, long version) {
  }

  private final int maxRunning;
  private final int maxQueued;
  private final int maxFinished;
  private final Map<Long, Entry> running = new LinkedHashMap<>();
  private final TreeMap<Long, Entry> queued = new TreeMap<>();
  private final LinkedHashMap<Long, Entry> finished = new LinkedHashMap<>(); // in the order they finished
  private final Set<Long> touched = new LinkedHashSet<>();
  private long version;

  TaskBoard(int maxRunning, int maxQueued, int maxFinished) {
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    this.maxFinished = maxFinished;
  }

  /** Where the board stands now: pass it to {@link #merge} with a list fetched from here on. */
  long version() {
    return version;
  }

  /**
   * Applies a task as a task event shows it. A progress report never brings back a task the board knows as finished:
   * reports and completions may reach the monitor out of order when several hubs run.
   */
  void apply(JsonObject task, boolean progressOnly) {
    long id = task.getLong("id");
    if (progressOnly && finished.containsKey(id)) {
      return;
    }
    put(id, compact(task));
  }

  /**
   * Applies tasks listed by the hub since {@code since} (a {@link #version()}): a task the board changed in the
   * meantime keeps what the newer event said. With {@code runningNow}, running tasks the board has not heard of since
   * and the list no longer shows (events lost while the monitor was away) leave the board.
   */
  void merge(Collection<JsonObject> tasks, long since, boolean runningNow) {
    Set<Long> listed = new HashSet<>();
    for (JsonObject task : tasks) {
      long id = task.getLong("id");
      listed.add(id);
      Entry known = entry(id);
      if (known == null || known.version() <= since) {
        put(id, compact(task));
      }
    }
    if (runningNow) {
      List<Long> stale = new ArrayList<>();
      running.forEach((id, e) -> {
        if (!listed.contains(id) && e.version() <= since) {
          stale.add(id);
        }
      });
      stale.forEach(this::remove);
    }
  }

  JsonObject get(long id) {
    Entry e = entry(id);
    return e == null ? null : e.view();
  }

  int size() {
    return running.size() + queued.size() + finished.size();
  }

  /** Every task on the board, running first, then queued (newest first), then finished (latest first). */
  JsonArray all() {
    JsonArray list = new JsonArray();
    running.values().forEach(e -> list.add(e.view()));
    queued.descendingMap().values().forEach(e -> list.add(e.view()));
    List<Entry> done = new ArrayList<>(finished.values());
    for (int i = done.size() - 1; i >= 0; i--) {
      list.add(done.get(i).view());
    }
    return list;
  }

  /** What changed since the last call: {@code {"tasks":[…], "removed":[ids]}}, or null when nothing did. */
  JsonObject drainChanges() {
    if (touched.isEmpty()) {
      return null;
    }
    JsonArray tasks = new JsonArray();
    JsonArray removed = new JsonArray();
    for (long id : touched) {
      Entry e = entry(id);
      if (e == null) {
        removed.add(id);
      } else {
        tasks.add(e.view());
      }
    }
    touched.clear();
    return new JsonObject().put("tasks", tasks).put("removed", removed);
  }

  /** Nobody watches: a page that opens gets the whole board anyway. */
  void forgetChanges() {
    touched.clear();
  }

  private void put(long id, JsonObject view) {
    Entry entry = new Entry(view, ++version);
    TaskState state = TaskState.valueOf(view.getString("state"));
    detach(id);
    if (state.isFinal()) {
      finished.put(id, entry);
      trim(finished.keySet().iterator(), finished.size() - maxFinished);
    } else if (state.isQueued()) {
      queued.put(id, entry);
      trim(queued.keySet().iterator(), queued.size() - maxQueued); // the oldest queued fall off first
    } else {
      running.put(id, entry);
      trim(running.keySet().iterator(), running.size() - maxRunning);
    }
    touched.add(id);
  }

  private void remove(long id) {
    detach(id);
    touched.add(id);
  }

  private void detach(long id) {
    if (running.remove(id) == null && queued.remove(id) == null) {
      finished.remove(id);
    }
  }

  private void trim(Iterator<Long> oldestFirst, int excess) {
    for (int i = 0; i < excess && oldestFirst.hasNext(); i++) {
      touched.add(oldestFirst.next());
      oldestFirst.remove();
    }
  }

  private Entry entry(long id) {
    Entry e = running.get(id);
    if (e == null) {
      e = queued.get(id);
    }
    return e != null ? e : finished.get(id);
  }

  /**
   * The current subtask and its own progress, from the stored progress details ({@code StartSubtask:} and the structured
   * {@code Progress:}): {@code {"t": title, "p": n, "pm": m}}, each part present when known; null when there is neither.
   * Subtask progress that names another subtask than the current one (one that finished) is left out.
   */
  static JsonObject subtask(JsonObject details) {
    if (details == null) {
      return null;
    }
    JsonObject current = details.getJsonObject("subtask");
    JsonObject structured = details.getJsonObject("structured");
    JsonObject view = new JsonObject();
    if (current != null) {
      Object title = current.getValue("t", current.getValue("id"));
      if (title != null) {
        String text = String.valueOf(title);
        view.put("t", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text);
      }
    }
    if (structured != null && structured.getValue("p") instanceof Number p && structured.getValue("pm") instanceof Number pm
        && sameSubtask(structured.getValue("subtaskId"), current)) {
      view.put("p", p).put("pm", pm);
    }
    return view.isEmpty() ? null : view;
  }

  /** Progress that names no subtask, or names the current one: not the leftover of a subtask that finished. */
  private static boolean sameSubtask(Object progressOf, JsonObject current) {
    return progressOf == null || current != null && String.valueOf(progressOf).equals(String.valueOf(current.getValue("id")));
  }

  /** The stream's view of a task (see {@link #FIELDS}), with the error reduced to its message. */
  static JsonObject compact(JsonObject task) {
    JsonObject view = new JsonObject();
    for (String field : FIELDS) {
      Object value = task.getValue(field);
      if (value instanceof String text && text.length() > MAX_TEXT) {
        value = text.substring(0, MAX_TEXT) + "…";
      }
      if (value != null) {
        view.put(field, value);
      }
    }
    JsonObject subtask = subtask(task.getJsonObject("progressDetails"));
    if (subtask != null) {
      view.put("subtask", subtask);
    }
    JsonObject error = task.getJsonObject("error");
    if (error != null) {
      String message = error.getString("message", error.getString("type", "error"));
      view.put("error", message.length() > MAX_TEXT ? message.substring(0, MAX_TEXT) + "…" : message);
    }
    return view;
  }
}
