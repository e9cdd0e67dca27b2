package dev.taskhub.hub;

import dev.taskhub.api.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The hub's meters, as Prometheus shows them: {@code taskhub_tasks{state,type}} (a gauge over {@link TaskCounts}),
 * {@code taskhub_claims_total}, {@code taskhub_claims_empty_total}, {@code taskhub_completions_total{outcome}},
 * {@code taskhub_task_duration_seconds{type,outcome}} (a histogram) and {@code taskhub_lease_releases_total{cause}}.
 * Every meter a transition touches is created once and then found in an array or one map lookup: the hot path
 * costs an increment.
 */
final class HubMetrics {
  /** Why a RUNNING task stopped being its agent's. */
  enum ReleaseCause { timeout, node_lost, stale, shutdown, not_taken }

  /** How an attempt ended, from the state its completion left the task in. */
  enum Outcome { done, error, retry, cancelled }

  private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(15),
      Duration.ofHours(1), Duration.ofHours(4)};

  private final MeterRegistry registry;
  private final TaskCounts counts = new TaskCounts(this::gaugesFor);
  private final Counter claims;
  private final Counter emptyClaims;
  private final Counter[] completions = new Counter[Outcome.values().length];
  private final Counter[] releases = new Counter[ReleaseCause.values().length];
  private final Map<String, Timer[]> durations = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new CopyOnWriteArrayList<>();

  HubMetrics(MeterRegistry registry) {
    this.registry = registry;
    claims = Counter.builder("taskhub.claims").description("Tasks handed to an agent").register(registry);
    emptyClaims = Counter.builder("taskhub.claims.empty")
        .description("Agents' requests for work answered with none (nothing due, or a type's limit reached)").register(registry);
    for (Outcome o : Outcome.values()) {
      completions[o.ordinal()] = Counter.builder("taskhub.completions").tag("outcome", o.name())
          .description("Attempts that ended, by what they left the task in").register(registry);
    }
    for (ReleaseCause c : ReleaseCause.values()) {
      releases[c.ordinal()] = Counter.builder("taskhub.lease.releases").tag("cause", c.name())
          .description("Leases that ended before their attempt did").register(registry);
    }
  }

  TaskCounts counts() {
    return counts;
  }

  void claimed() {
    claims.increment();
  }

  void claimedNothing(int agents) {
    emptyClaims.increment(agents);
  }

  /** {@code after}: the task's state once its completion was recorded; null for an unexpected one (not counted). */
  Outcome completed(String type, TaskState after, long runMillis) {
    Outcome outcome = switch (after) {
      case DONE -> Outcome.done;
      case ERROR -> Outcome.error;
      case READY, WAITING -> Outcome.retry;
      case CANCELLED -> Outcome.cancelled;
      default -> null;
    };
    if (outcome != null) {
      completions[outcome.ordinal()].increment();
      if (runMillis >= 0) {
        timers(type)[outcome.ordinal()].record(runMillis, TimeUnit.MILLISECONDS);
      }
    }
    return outcome;
  }

  void released(ReleaseCause cause) {
    releases[cause.ordinal()].increment();
  }

  /** Removes the gauges, which read this hub's counts (the counters may be shared with another hub of this JVM). */
  void close() {
    gauges.forEach(registry::remove);
  }

  private Timer[] timers(String type) {
    Timer[] timers = durations.get(type);
    if (timers == null) {
      timers = durations.computeIfAbsent(type, t -> {
        Timer[] made = new Timer[Outcome.values().length];
        for (Outcome o : Outcome.values()) {
          made[o.ordinal()] = Timer.builder("taskhub.task.duration").tags("type", t, "outcome", o.name())
              .description("Run time of an attempt, from its claim to its completion")
              .serviceLevelObjectives(BUCKETS).register(registry);
        }
        return made;
      });
    }
    return timers;
  }

  private void gaugesFor(String type) {
    for (TaskState state : TaskState.values()) {
      gauges.add(Gauge.builder("taskhub.tasks", counts, c -> c.count(type, state))
          .tags("state", state.name(), "type", type).strongReference(true)
          .description("Tasks in each state, by type").register(registry));
    }
  }
}
