// What the page knows, built from the stream: a snapshot first, then coalesced updates (see MonitorVerticle).
// Applying a message only changes this model and marks what changed; drawing happens once per animation frame.

const HISTORY_SECONDS = 15 * 60;

export const model = {
  self: null,
  tasks: new Map(),        // id -> compact task
  nodes: [],
  agents: [],
  stats: null,
  schedules: [],           // every schedule, with its next run
  history: [],             // points {t, started, finished, ready, running, waiting, suspended}
  states: { all: [], live: [], queued: [], final: [], actions: {} }, // the server's state rules (TaskState)
  skewMs: 0,               // server clock minus this browser's clock
  dirty: { tasks: new Set(), structure: true, nodes: true, agents: true, stats: true, history: true, states: true, schedules: true },
};

// The state rules come with every snapshot (see StateRules on the server): the page keeps no copy of its own.
export const isFinal = state => model.states.final.includes(state);
export const isQueued = state => model.states.queued.includes(state);

/** Now, on the server's clock: durations and "ago" compare with server timestamps. */
export const serverNow = () => Date.now() + model.skewMs;

export function apply(message) {
  if (message.at) model.skewMs = Date.parse(message.at) - Date.now();
  const d = model.dirty;
  if (message.kind === 'snapshot') {
    model.self = message.self;
    if (JSON.stringify(message.states) !== JSON.stringify(model.states)) { model.states = message.states; d.states = true; }
    model.tasks.clear();
    model.history = [];
    d.structure = true;
  }
  for (const task of message.tasks || []) {
    const known = model.tasks.get(task.id);
    if (!known || known.state !== task.state) d.structure = true;
    model.tasks.set(task.id, task);
    d.tasks.add(task.id);
  }
  for (const id of message.removed || []) {
    if (model.tasks.delete(id)) d.structure = true;
  }
  if (message.nodes) { model.nodes = message.nodes; d.nodes = true; }
  if (message.agents) { model.agents = message.agents; d.agents = true; }
  if (message.stats) { model.stats = message.stats; d.stats = true; }
  if (message.schedules) { model.schedules = message.schedules; d.schedules = true; }
  if (message.history && message.history.length) {
    const last = model.history.length ? model.history[model.history.length - 1].t : -Infinity;
    for (const point of message.history) {
      if (point.t > last) model.history.push(point);
    }
    const oldest = message.history[message.history.length - 1].t - HISTORY_SECONDS;
    while (model.history.length && model.history[0].t < oldest) model.history.shift();
    d.history = true;
  }
}

export function clean() {
  const d = model.dirty;
  d.tasks.clear();
  d.structure = d.nodes = d.agents = d.stats = d.history = d.states = d.schedules = false;
}
