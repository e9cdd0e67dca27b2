package dev.taskhub.api;

/**
 * Every event-bus address Taskhub uses, in one place. Request/reply addresses answer a JSON object
 * or fail with a {@link Failure} code; publish addresses carry the JSON shapes named beside them.
 */
public final class Addresses {
  private Addresses() {
  }

  /** Request: one task spec, or {@code {"tasks":[spec…]}} (all or nothing). Reply: the task, or {@code {"tasks":[…]}}. */
  public static final String REGISTER = "taskhub.hub.register";
  /** Request: {@code {"id": n}}. Reply: the task. */
  public static final String GET = "taskhub.hub.get";
  /** Request: {@code {"state","type","tag","app","schedule","limit","after"}} (all optional). Reply: {@code {"tasks":[…],"next":cursor|null}}. */
  public static final String LIST = "taskhub.hub.list";
  /** Request: {@code {"id": n}}. Reply: {@code {"log": text, "state": "RUNNING"}}, the task's stored log (its tail, when capped). */
  public static final String LOG = "taskhub.hub.log";
  /**
   * Request: {@code {}}. Reply: {@code {"byState":{…},"byPriority":{…},"byType":{…},"limits":{type:
   * {"maxRunning","maxRunningPerNode"}}}}; {@code limits} names only the types that have one.
   */
  public static final String STATS = "taskhub.hub.stats";
  /**
   * Publish from the hub that leads maintenance, every {@code metrics.reconcileSeconds}: {@code {"rows": [[type,
   * priority rank, state, n], …]}}, a count of the whole task table that every hub takes as its new baseline.
   */
  public static final String TASK_COUNTS = "taskhub.hub.counts";
  /**
   * Publish from every hub, a few times a second while it changes tasks: {@code {"hub": id, "moves": {type: [delta per
   * priority and state]}}}, the moves of its task counts since it last said, so every hub's counts include the others'.
   */
  public static final String TASK_COUNT_MOVES = "taskhub.hub.counts.moves";
  /** Request: {@code {}}. Reply: {@code {"reasons": [...]}}, empty when the hub's database answers at the schema it needs. */
  public static final String READY = "taskhub.hub.ready";
  /**
   * Request: {@code {"id": n, "priority": "Important"}} or {@code {"id": n, "action": "suspend"|"resume"|"cancel"|"retry"}}
   * (see {@link TaskState.Action}). Reply: the task as changed; CONFLICT naming the task's state when the change does
   * not apply to it.
   */
  public static final String UPDATE = "taskhub.hub.update";
  /** Request: {@code {"id": n}}. Reply: {@code {}}; CONFLICT when the task is RUNNING (cancel it first). */
  public static final String DELETE = "taskhub.hub.delete";

  /**
   * Request: {@code {"name", "schedule": {"cron","timezone","task","paused"}}} (see {@link ScheduleSpec}), creating or
   * replacing it. Reply: {@code {"created": bool, "schedule": schedule}}.
   */
  public static final String SCHEDULE_PUT = "taskhub.hub.schedule.put";
  /** Request: {@code {"name"}}. Reply: the {@link Schedule}; NOT_FOUND when there is none. */
  public static final String SCHEDULE_GET = "taskhub.hub.schedule.get";
  /** Request: {@code {}}. Reply: {@code {"schedules": [schedule…]}}, by name. */
  public static final String SCHEDULE_LIST = "taskhub.hub.schedule.list";
  /** Request: {@code {"name", "action": "pause"|"resume"}}. Reply: the schedule as changed. */
  public static final String SCHEDULE_CHANGE = "taskhub.hub.schedule.change";
  /** Request: {@code {"name"}}. Reply: {@code {}}; NOT_FOUND when there is none. Its tasks stay. */
  public static final String SCHEDULE_DELETE = "taskhub.hub.schedule.delete";
  /**
   * Publish from a hub: {@code {"name"}} — a schedule was created, replaced, paused, resumed, deleted or fired. Every
   * hub then looks again for the next tick it must fire; monitors refresh their schedules panel.
   */
  public static final String SCHEDULES_CHANGED = "taskhub.schedules.changed";

  /**
   * Request: {@code {"type", "settings": {"maxRunning", "maxRunningPerNode", "maxAttempts", "timeoutSeconds",
   * "priority"}}}, each field optional, null clearing it (see {@link TypeSettings.Change}). Reply: the type as
   * {@link #TYPE_GET} answers it.
   */
  public static final String TYPE_PUT = "taskhub.hub.type.put";
  /**
   * Request: {@code {"type"}}. Reply: {@code {"type", "settings": {all five fields, null when unset}, "counts": {state:
   * n, every state}}}, the counts from the hub's memory as {@link #STATS} has them.
   */
  public static final String TYPE_GET = "taskhub.hub.type.get";
  /** Request: {@code {}}. Reply: {@code {"types": [type…]}}, every type with settings or tasks, by name. */
  public static final String TYPE_LIST = "taskhub.hub.type.list";
  /**
   * Publish from a hub: {@code {"type"}} — the type's settings changed. Every hub reads them again (the limits decide
   * how it claims and what it announces) and wakes the type's idle agents, whose limit may have room now.
   */
  public static final String TYPES_CHANGED = "taskhub.types.changed";

  /** Request from an idle agent: {@link ClaimRequest}. Reply: {@code {"task": task-with-leaseToken | null}}. */
  public static final String CLAIM = "taskhub.hub.claim";
  /** Request from a running agent: {@link ProgressReport} (also renews the lease). Reply: {@code {}}, or CONFLICT when the lease is stale. */
  public static final String REPORT = "taskhub.hub.report";
  /** Request from an agent whose executor ended: {@link CompletionReport}. Reply: the stored task, or CONFLICT when the lease is stale. */
  public static final String COMPLETE = "taskhub.hub.complete";

  /** Request from an agent that stops while running a task: {@code {"id","leaseToken","reason"}}. The task is READY again and the attempt does not count. */
  public static final String RELEASE = "taskhub.hub.release";
  /**
   * Request from an agent that cannot start a claimed task and never will (its data is too large for its classic
   * executor's argument): {@code {"id","leaseToken","error":{"type","message"}}}. The task ends ERROR at once, whatever
   * attempts remain. Reply: the stored task, or CONFLICT when the lease is stale.
   */
  public static final String REFUSE = "taskhub.hub.refuse";

  /**
   * Publish from a hub: {@code {"types":[…]}} — tasks of these types may be claimable now; {@code "types": null} means
   * any. After a registration it also says how many ({@code "tasks": n}, with an {@code "id"}): each node then wakes at
   * most n of its idle agents.
   */
  public static final String AVAILABLE = "taskhub.tasks.available";
  /**
   * Local publish from an agent: its {@link AgentStatus}, whenever it changes. Its node's heartbeat carries the
   * statuses to the cluster, at most four times a second.
   */
  public static final String AGENT_STATUS = "taskhub.agents.status";
  /** Publish from every node: its {@link NodeHeartbeat}, every {@code heartbeat.periodSeconds} and when asked. */
  public static final String NODE_HEARTBEAT = "taskhub.nodes.heartbeat";
  /** Publish: {@code {}} — every node answers with a heartbeat at once (the monitor asks when a page opens). */
  public static final String HEARTBEAT_REQUEST = "taskhub.nodes.heartbeat.request";

  /**
   * Local publish when this node starts draining (SIGTERM, {@code taskhub stop}): {@code {"graceSeconds": n}}. Its HTTP
   * API refuses new work and reports NOT_READY, its heartbeat says {@code "draining": true}. Never crosses the cluster.
   */
  public static final String NODE_DRAINING = "taskhub.node.draining";
  /**
   * Local request to this node's supervisor: {@code {}}. Its agents claim nothing more; the reply {@code {}} comes once
   * none of them has an attempt left (ended and recorded, or given back). The caller bounds the wait (the grace).
   */
  public static final String AGENTS_DRAIN = "taskhub.agents.drain";

  /** Local request to one agent, from its supervisor, as {@link #AGENTS_DRAIN} is to the supervisor. */
  public static String agentDrain(String agentId) {
    return "taskhub.agent.drain." + agentId;
  }

  /**
   * Request from a hub to one agent whose claim found nothing: {@link Claim} of a task registered since, made RUNNING
   * for this agent. Reply {@code {"take": true|false}}; a taker then waits for the hub's confirmation, as after a claim.
   */
  public static String agentOffer(String agentId) {
    return "taskhub.agent.offer." + agentId;
  }

  /** Publish from a hub: {@code {"id": n}} — a RUNNING task was cancelled; the agent running it kills its executor at once. */
  public static final String CANCELLED = "taskhub.tasks.cancelled";

  /**
   * Publish from a hub, once per finished task (a finalizer step): the task's JSON, with its data. Any JVM of the
   * cluster may consume it; a hub that dies while publishing may publish it again, so consumers dedupe on the id.
   */
  public static final String TASK_FINISHED = "taskhub.tasks.finished";

  /**
   * Publish from a hub: a {@link TaskEvent} for every state change (also a priority change) and coalesced progress
   * of any task, and {@code "deleted"} when a task is deleted.
   */
  public static final String TASK_EVENTS = "taskhub.task.events";

  /**
   * Local publish from the monitor, about four times a second while a page watches: ONE coalesced update of what
   * changed ({@code {"kind":"update","seq",…}}; see {@code dev.taskhub.monitor.MonitorVerticle}). Never crosses the
   * cluster and never accepts anything from a browser.
   */
  public static final String MONITOR_UPDATES = "taskhub.monitor.updates";
  /** Local request to the monitor: {@code {}}. Reply: the full picture ({@code {"kind":"snapshot","seq",…}}) for a page that opens. */
  public static final String MONITOR_SNAPSHOT = "taskhub.monitor.snapshot";
  /** Local send to the monitor, every second while at least one page is open: keeps stats and heartbeats fresh. */
  public static final String MONITOR_WATCHING = "taskhub.monitor.watching";
}
