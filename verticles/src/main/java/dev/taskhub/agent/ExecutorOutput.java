package dev.taskhub.agent;

import dev.taskhub.protocol.ExecutorLine;
import dev.taskhub.protocol.LineParser;
import io.vertx.core.json.JsonObject;

/**
 * What an executor's output said so far, folded into a small state that the agent drains a few times a second:
 * the latest progress, message and details, the log written since the last drain, the result data and the first
 * error. The reader threads write it and the event loop drains it, so every access holds the one lock; memory
 * stays bounded however chatty the executor is, because undrained log and result data are capped.
 */
final class ExecutorOutput {

  /** Progress and log since the last drain; null fields did not change. */
  record Snapshot(Double progress, String message, JsonObject details, String log) {
  }

  private final int maxResultChars;
  private final int maxPendingLogChars;

  private final Object lock = new Object();
  // guarded by lock
  private Double progress;
  private String message;
  private JsonObject details;
  private boolean progressChanged;
  private final StringBuilder pendingLog = new StringBuilder();
  private long droppedLogChars;
  private final StringBuilder resultData = new StringBuilder();
  private boolean hasResult;
  private JsonObject error;

  ExecutorOutput(int maxResultChars, int maxPendingLogChars) {
    this.maxResultChars = maxResultChars;
    this.maxPendingLogChars = maxPendingLogChars;
  }

  /**
   * One line of standard output: the protocol ({@code Progress:}, {@code ResultData:}, …) or a log line. What
   * PostgreSQL cannot store (U+0000) is replaced here, where output enters the agent ({@link Storable}).
   */
  void stdout(String line, String shown) {
    ExecutorLine parsed = LineParser.parse(Storable.text(line));
    shown = Storable.text(shown);
    synchronized (lock) {
      if (parsed instanceof ExecutorLine.Progress p) {
        if (p.percent() != null) {
          progress = p.percent();
        } else if (p.message() != null) {
          message = p.message();
        } else {
          structured(p.structuredJson());
        }
        progressChanged = true;
      } else if (parsed instanceof ExecutorLine.StartSubtask s) {
        JsonObject subtask = object(s.json());
        details = (details == null ? new JsonObject() : details.copy()).put("subtask", subtask);
        if (subtask.getValue("t") instanceof String title) {
          message = title;
        }
        progressChanged = true;
        appendLog(shown);
      } else if (parsed instanceof ExecutorLine.FinishSubtask) {
        if (details != null) {
          details = details.copy();
          details.remove("subtask");
        }
        progressChanged = true;
        appendLog(shown);
      } else if (parsed instanceof ExecutorLine.ResultData r) {
        if (resultData.length() < maxResultChars) {
          if (hasResult) {
            resultData.append('\n');
          }
          resultData.append(r.text(), 0, Math.min(r.text().length(), maxResultChars - resultData.length()));
        }
        hasResult = true;
      } else if (parsed instanceof ExecutorLine.Error e && error == null) {
        error = e.looksLikeJsonObject() ? object(e.text()) : new JsonObject().put("message", e.text());
      } else {
        appendLog(shown); // log lines, and errors after the first (the first is the task's)
      }
    }
  }

  /** One line of standard error: log only. */
  void stderr(String shown) {
    synchronized (lock) {
      appendLog(Storable.text(shown));
    }
  }

  /** A line of the agent's own in the task's log (why it killed the executor). */
  void note(String line) {
    synchronized (lock) {
      appendLog("[taskhub] " + line);
    }
  }

  /** The structured form {"op","opm","p","pm","subtaskId","d"}: overall op of opm sets the percent. */
  private void structured(String json) {
    JsonObject s = object(json);
    Number op = number(s, "op");
    Number opm = number(s, "opm");
    if (op != null && opm != null && opm.doubleValue() > 0) {
      progress = Math.max(0, Math.min(100, 100.0 * op.doubleValue() / opm.doubleValue()));
    }
    if (s.getValue("d") instanceof String d) {
      message = d;
    }
    details = (details == null ? new JsonObject() : details.copy()).put("structured", s);
  }

  private static Number number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n : null;
  }

  /** A JSON object the executor wrote: an escaped NUL in it decodes to a NUL, which is replaced. */
  private static JsonObject object(String json) {
    try {
      return Storable.json(new JsonObject(json));
    } catch (RuntimeException e) {
      return new JsonObject().put("message", json);
    }
  }

  private void appendLog(String line) {
    if (pendingLog.length() + line.length() + 1 > maxPendingLogChars) {
      droppedLogChars += line.length() + 1; // the hub keeps only a tail anyway; say what was lost
      return;
    }
    pendingLog.append(line).append('\n');
  }

  /** Whether anything changed since the last {@link #drain}. */
  boolean hasNews() {
    synchronized (lock) {
      return progressChanged || pendingLog.length() > 0 || droppedLogChars > 0;
    }
  }

  /** Takes what changed since the last call. */
  Snapshot drain() {
    synchronized (lock) {
      String log = null;
      if (droppedLogChars > 0) {
        pendingLog.append("[taskhub] ").append(droppedLogChars).append(" characters of log dropped: the executor wrote faster than they could be stored\n");
        droppedLogChars = 0;
      }
      if (pendingLog.length() > 0) {
        log = pendingLog.toString();
        pendingLog.setLength(0);
      }
      Snapshot s = progressChanged ? new Snapshot(progress, message, details, log) : new Snapshot(null, null, null, log);
      progressChanged = false;
      return s;
    }
  }

  /** What the run said by the time it exited with {@code exitCode}. */
  ExecutorRun.Outcome outcome(int exitCode, boolean fenced) {
    synchronized (lock) {
      return new ExecutorRun.Outcome(exitCode, hasResult ? resultData.toString() : null, error, fenced);
    }
  }
}
