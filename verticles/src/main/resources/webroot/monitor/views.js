// Drawing the page from the model. Every list is keyed (one element per node, agent or task, reused from frame to
// frame) and a cell is written only when its text changed, so a busy cluster costs the browser little.
import { model, serverNow, isFinal, isQueued } from './model.js';
import { PRIORITIES, el, setText, setClass, count, percent, megabytes, duration, ago, clock, shortAgent } from './util.js';

const PAGE = 100; // task rows drawn at once; "Show more" adds as many again

const $ = id => document.getElementById(id);
const stateBadge = state => el('span', { class: 'state', style: `--c: var(--${state})`, text: state });

// ------------------------------------------------------------------ header

export function drawSummary() {
  const byState = (model.stats && model.stats.byState) || {};
  const busy = model.agents.filter(a => a.state === 'busy' && !a.nodeGone).length;
  const agents = model.agents.filter(a => !a.nodeGone).length;
  const summary = $('summary');
  summary.replaceChildren(
    el('span', {}, el('b', { text: count(byState.RUNNING) }), ' running'),
    el('span', {}, el('b', { text: count(model.states.queued.reduce((n, s) => n + (byState[s] || 0), 0)) }), ' queued'),
    el('span', {}, el('b', { text: `${busy}/${agents}` }), ' agents busy'),
    el('span', {}, el('b', { text: count(model.nodes.filter(n => !n.gone).length) }), ' nodes'),
  );
}

// ------------------------------------------------------------------ machines

const nodeCards = new Map();

function meter(fraction) {
  const fill = el('div');
  const bar = el('div', { class: 'meter' }, fill);
  return { bar, set(f) {
    const pct = Math.max(0, Math.min(100, f * 100));
    fill.style.width = `${pct.toFixed(1)}%`;
    setClass(bar, pct >= 90 ? 'meter hot' : pct >= 70 ? 'meter warm' : 'meter');
  } };
}

function nodeCard(node) {
  const cpu = meter(0);
  const mem = meter(0);
  const parts = {
    name: el('span', { class: 'name' }),
    self: el('span', { class: 'tag', text: 'this node' }),
    gone: el('span', { class: 'tag gone-tag', text: 'gone' }),
    draining: el('span', { class: 'tag draining-tag', text: 'draining', title: 'shutting down: it claims nothing more and lets its running tasks end' }),
    cpuValue: el('span', { class: 'value cpu' }),
    memValue: el('span', { class: 'value mem' }),
    agents: el('span', { class: 'agents' }),
    roles: el('div', { class: 'roles' }),
    heartbeat: el('span', { class: 'heartbeat' }),
    cpu, mem,
  };
  parts.card = el('article', { class: 'node', 'data-node-id': node.id },
    el('header', {}, parts.name, parts.self, parts.draining, parts.gone),
    el('div', { class: 'metric' }, el('span', { class: 'label', text: 'CPU' }), cpu.bar, parts.cpuValue),
    el('div', { class: 'metric' }, el('span', { class: 'label', text: 'Memory' }), mem.bar, parts.memValue),
    el('div', { class: 'metric' }, el('span', { class: 'label', text: 'Agents' }), parts.agents),
    el('div', { class: 'meta' }, parts.roles, parts.heartbeat));
  return parts;
}

export function drawMachines() {
  const box = $('node-cards');
  if (model.nodes.length === 0) return;
  const seen = new Set();
  const nodes = [...model.nodes].sort((a, b) => (a.gone - b.gone) || (b.self - a.self) || a.id.localeCompare(b.id));
  let cursor = box.firstChild;
  if (cursor && cursor.classList.contains('empty')) { cursor.remove(); cursor = box.firstChild; }
  for (const node of nodes) {
    seen.add(node.id);
    let card = nodeCards.get(node.id);
    if (!card) { card = nodeCard(node); nodeCards.set(node.id, card); }
    if (card.card !== cursor) box.insertBefore(card.card, cursor); else cursor = cursor.nextSibling;
    const memory = node.memory || {};
    setClass(card.card, node.gone ? 'node gone' : node.draining ? 'node draining' : 'node');
    setText(card.name, node.id);
    card.self.hidden = !node.self;
    card.gone.hidden = !node.gone;
    card.draining.hidden = !node.draining || node.gone;
    card.cpu.set((node.cpu || 0) / 100);
    setText(card.cpuValue, `${(node.cpu || 0).toFixed(1)} %`);
    card.mem.set(memory.totalMb ? memory.usedMb / memory.totalMb : 0);
    setText(card.memValue, `${megabytes(memory.usedMb)} used · ${megabytes(memory.freeMb)} free`);
    const agents = node.agents || {};
    setText(card.agents, `${agents.busy || 0} busy · ${agents.idle || 0} idle`);
    const roles = (node.roles || []).join(',');
    if (card.roles.dataset.roles !== roles) {
      card.roles.dataset.roles = roles;
      card.roles.replaceChildren(...(node.roles || []).map(r => el('span', { class: 'role', text: r })));
    }
    setText(card.heartbeat, node.gone ? `last heard ${clock(node.lastHeartbeat)}` : `heartbeat ${ago(serverNow() - Date.parse(node.lastHeartbeat))}`);
    card.heartbeat.title = node.lastHeartbeat || '';
  }
  for (const [id, card] of nodeCards) {
    if (!seen.has(id)) { card.card.remove(); nodeCards.delete(id); }
  }
  const gone = model.nodes.filter(n => n.gone).length;
  const draining = model.nodes.filter(n => n.draining && !n.gone).length;
  setText($('machines-summary'), `${model.nodes.length - gone} up${draining ? ` · ${draining} draining` : ''}${gone ? ` · ${gone} gone` : ''}`);
}

// ------------------------------------------------------------------ queues

export function drawQueues() {
  const stats = model.stats;
  if (!stats) return;
  const byState = stats.byState || {};
  const tiles = $('state-tiles');
  const states = model.states.all;
  if (tiles.dataset.key !== states.join()) {
    tiles.dataset.key = states.join();
    tiles.replaceChildren(...states.map(state => el('div', { class: 'tile', style: `--c: var(--${state})`, 'data-state': state },
      el('div', { class: 'n', text: '0' }), el('div', { class: 's', text: state }))));
  }
  for (const tile of tiles.children) setText(tile.firstChild, count(byState[tile.dataset.state]));
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  setText($('queues-summary'), `${count(total)} tasks stored`);
  drawBreakdown($('by-priority'), PRIORITIES.filter(p => stats.byPriority && stats.byPriority[p]), stats.byPriority || {});
  const types = Object.keys(stats.byType || {});
  const live = t => model.states.live.reduce((n, s) => n + (stats.byType[t][s] || 0), 0);
  types.sort((a, b) => live(b) - live(a) || a.localeCompare(b));
  drawBreakdown($('by-type'), types.slice(0, 12), stats.byType || {}, limitTexts(stats.limits || {}));
  updateTypeFilter(types);
}

/** The app filter offers every application among the tasks on the page; it follows the tasks, not the periodic stats. */
export function updateAppFilter() {
  const select = $('filter-app');
  const apps = [...new Set([...model.tasks.values()].map(t => t.app).filter(Boolean))].sort();
  const key = apps.join('\n');
  if (select.dataset.key === key) return select.value;
  select.dataset.key = key;
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', text: 'all' }), ...apps.map(a => el('option', { value: a, text: a })));
  select.value = apps.includes(chosen) ? chosen : '';
  return select.value;
}

// A type's limits (PUT /api/types/{type}) as the by-type table shows them beside its counts: "max 2 · 1 per node".
function limitTexts(limits) {
  const texts = {};
  for (const [type, l] of Object.entries(limits)) {
    const parts = [];
    if (l.maxRunning !== null && l.maxRunning !== undefined) parts.push(`max ${l.maxRunning}`);
    if (l.maxRunningPerNode !== null && l.maxRunningPerNode !== undefined) parts.push(`${l.maxRunningPerNode} per node`);
    texts[type] = parts.join(' · ');
  }
  return texts;
}

function drawBreakdown(table, keys, counts, limits) {
  const states = model.states.all;
  const key = JSON.stringify([states, keys, keys.map(k => counts[k]), limits ? keys.map(k => limits[k]) : null]);
  if (table.dataset.key === key) return;
  table.dataset.key = key;
  const limitHead = limits ? [el('th', { text: 'limit', title: 'RUNNING tasks allowed (PUT /api/types/{type})' })] : [];
  const limitCell = k => limits ? [el('td', { class: limits[k] ? 'limit' : 'zero', 'data-limit': k, text: limits[k] || '—' })] : [];
  const head = el('tr', {}, el('th', { text: '' }), ...states.map(s => el('th', { text: s.toLowerCase() })), ...limitHead);
  const rows = keys.map(k => el('tr', {}, el('td', { text: k }),
    ...states.map(s => el('td', { class: (counts[k][s] || 0) === 0 ? 'zero' : '', text: count(counts[k][s]) })), ...limitCell(k)));
  table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { class: 'zero', text: 'none yet' }))])));
}

function updateTypeFilter(types) {
  const select = $('filter-type');
  for (const task of model.tasks.values()) if (!types.includes(task.type)) types.push(task.type);
  types.sort();
  const key = types.join('\n');
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', text: 'all' }), ...types.map(t => el('option', { value: t, text: t })));
  select.value = types.includes(chosen) ? chosen : '';
}

// ------------------------------------------------------------------ progress bars

function progressBar() {
  const fill = el('div', { class: 'fill' });
  const label = el('span', { class: 'pct' });
  const bar = el('div', { class: 'bar' }, fill, label);
  return { bar, set(task) {
    const p = task && task.progress !== undefined && task.progress !== null ? task.progress : (task && task.state === 'DONE' ? 100 : 0);
    const width = `${Math.max(0, Math.min(100, p))}%`;
    if (fill.style.width !== width) fill.style.width = width;
    setClass(bar, task && task.state === 'DONE' ? 'bar done' : task && task.state === 'ERROR' ? 'bar error' : 'bar');
    setText(label, task && task.progress !== undefined && task.progress !== null ? percent(task.progress) : '');
    bar.dataset.progress = task && task.progress !== undefined && task.progress !== null ? String(task.progress) : '';
  } };
}

// ------------------------------------------------------------------ agents

const agentCards = new Map();

export function drawAgents(onOpenTask) {
  const box = $('agent-cards');
  if (model.agents.length === 0) return;
  if (box.firstChild && box.firstChild.classList.contains('empty')) box.firstChild.remove();
  const agents = [...model.agents].sort((a, b) => (a.nodeGone - b.nodeGone)
    || ((a.state === 'busy' ? 0 : 1) - (b.state === 'busy' ? 0 : 1)) || a.id.localeCompare(b.id));
  const seen = new Set();
  let cursor = box.firstChild;
  for (const agent of agents) {
    seen.add(agent.id);
    let card = agentCards.get(agent.id);
    if (!card) {
      card = { id: el('span', { class: 'id' }), state: el('span', { class: 'st' }), task: el('div', { class: 'task' }),
        msg: el('div', { class: 'msg' }), progress: progressBar() };
      card.card = el('article', { class: 'agent', 'data-agent-id': agent.id },
        el('div', { class: 'line' }, card.id, card.state), card.task, card.progress.bar, card.msg);
      card.task.addEventListener('click', e => { e.preventDefault(); if (card.taskId) onOpenTask(card.taskId); });
      agentCards.set(agent.id, card);
    }
    if (card.card !== cursor) box.insertBefore(card.card, cursor); else cursor = cursor.nextSibling;
    const task = agent.taskId ? model.tasks.get(agent.taskId) : null;
    setClass(card.card, agent.nodeGone ? 'agent gone' : 'agent');
    setText(card.id, shortAgent(agent.id));
    card.id.title = agent.id;
    setText(card.state, agent.nodeGone ? 'gone' : agent.state);
    setClass(card.state, `st ${agent.state}`);
    card.taskId = agent.state === 'busy' ? agent.taskId : null;
    const taskKey = card.taskId ? `${card.taskId}` : '';
    if (card.task.dataset.key !== taskKey || (task && card.task.dataset.title !== task.title)) {
      card.task.dataset.key = taskKey;
      card.task.dataset.title = task ? task.title : '';
      card.task.replaceChildren(card.taskId
        ? el('span', {}, el('a', { href: '#', text: `#${card.taskId}` }), ` ${task ? task.title : agent.taskType || ''}`)
        : el('span', { text: `idle on ${agent.node}` }));
    }
    card.progress.set(card.taskId ? task : null);
    card.progress.bar.style.visibility = card.taskId ? '' : 'hidden';
    setText(card.msg, card.taskId && task ? [task.progressMessage, subtaskText(task)].filter(Boolean).join(' · ') : '');
  }
  for (const [id, card] of agentCards) {
    if (!seen.has(id)) { card.card.remove(); agentCards.delete(id); }
  }
  const busy = model.agents.filter(a => a.state === 'busy' && !a.nodeGone).length;
  setText($('agents-summary'), `${busy} busy · ${model.agents.filter(a => !a.nodeGone).length - busy} idle`);
}

// ------------------------------------------------------------------ tasks

/** The state filter offers, after "all" and "live" (in the page), every state the server names. */
export function drawStateFilter() {
  const select = $('filter-state');
  const chosen = select.value;
  for (const option of [...select.options]) if (option.dataset.state) option.remove();
  select.append(...model.states.all.map(s => el('option', { value: s, text: s, 'data-state': s })));
  select.value = [...select.options].some(o => o.value === chosen) ? chosen : '';
}

const taskRows = new Map();
let limit = PAGE;

export function showMore() {
  limit += PAGE;
}

export function resetPaging() {
  limit = PAGE;
}

const rank = state => isFinal(state) ? 2 : isQueued(state) ? 1 : 0; // running first

function taskOrder(a, b) {
  const r = rank(a.state) - rank(b.state);
  if (r !== 0) return r;
  if (a.state === b.state && isFinal(a.state) && a.finishedAt !== b.finishedAt) {
    return (b.finishedAt || '').localeCompare(a.finishedAt || '');
  }
  return b.id - a.id;
}

function matches(task, filter) {
  if (filter.state === 'live' ? isFinal(task.state) : filter.state && task.state !== filter.state) return false;
  if (filter.type && task.type !== filter.type) return false;
  if (filter.app && task.app !== filter.app) return false;
  if (filter.text) {
    const t = filter.text.toLowerCase();
    return String(task.id) === t.replace(/^#/, '') || (task.title || '').toLowerCase().includes(t) || (task.tag || '').toLowerCase().includes(t);
  }
  return true;
}

function taskRow(task, onOpenTask) {
  const row = {
    id: el('td', { class: 'num' }), title: el('span', { class: 'title' }), sub: el('span', { class: 'sub' }),
    state: el('td'), priority: el('td'), msg: el('div', { class: 'msg' }), progress: progressBar(),
    duration: el('td', { class: 'num' }), attempts: el('td', { class: 'num' }), where: el('td', { class: 'muted' }),
  };
  row.tr = el('tr', { 'data-task-id': task.id, onclick: () => onOpenTask(task.id) },
    row.id, el('td', {}, row.title, row.sub), row.state, row.priority,
    el('td', { class: 'progress' }, row.progress.bar, row.msg), row.duration, row.attempts, row.where);
  return row;
}

function updateRow(row, task, selectedId) {
  setText(row.id, task.id);
  setText(row.title, task.title || task.type);
  setText(row.sub, [task.title && task.title !== task.type ? task.type : '', task.tag ? `#${task.tag}` : '',
    task.app ? `@${task.app}` : '', task.schedule ? `⟳ ${task.schedule}` : ''].filter(Boolean).join(' '));
  if (row.state.dataset.state !== task.state) {
    row.state.dataset.state = task.state;
    row.state.replaceChildren(stateBadge(task.state));
  }
  setText(row.priority, task.priority);
  setClass(row.priority, `prio-${task.priority}`);
  row.progress.set(task);
  const queued = isQueued(task.state);
  row.progress.bar.hidden = queued;
  setText(row.msg, task.state === 'ERROR' && task.error ? task.error
    : queued ? `${task.state === 'WAITING' ? 'waiting for its dependencies' : task.state === 'SUSPENDED' ? 'suspended' : 'queued'} · ${duration(serverNow() - Date.parse(task.createdAt))}`
      : [task.progressMessage, subtaskText(task)].filter(Boolean).join(' · '));
  row.msg.dataset.subtask = subtaskText(task);
  setText(row.duration, taskDuration(task));
  setText(row.attempts, task.attempts ? `${task.attempts}/${task.maxAttempts || 1}` : '');
  setText(row.where, [task.node, shortAgent(task.agent)].filter(Boolean).join(' · '));
  setClass(row.tr, task.id === selectedId ? 'selected' : '');
}

/**
 * The current subtask and its own progress ("Resizing 3/10"), from StartSubtask and the structured Progress line;
 * the title is left out when the progress message already says it. '' when there is none, or the task is done.
 */
export function subtaskText(task) {
  const s = task.subtask;
  if (!s || task.state === 'DONE') return '';
  const title = s.t && s.t !== task.progressMessage ? s.t : '';
  const steps = s.p !== undefined && s.pm !== undefined ? `${s.p}/${s.pm}` : '';
  return [title ? `subtask ${title}` : 'subtask', steps].filter(Boolean).join(' ');
}

export function taskDuration(task) {
  if (!task.startedAt) return '';
  const end = task.finishedAt && isFinal(task.state) ? Date.parse(task.finishedAt) : serverNow();
  return duration(end - Date.parse(task.startedAt));
}

export function drawTasks(filter, selectedId, onOpenTask) {
  const all = [...model.tasks.values()].filter(t => matches(t, filter)).sort(taskOrder);
  const shown = all.slice(0, limit);
  const tbody = document.querySelector('#task-table tbody');
  const keep = new Set(shown.map(t => t.id));
  for (const [id, row] of taskRows) {
    if (!keep.has(id)) { row.tr.remove(); taskRows.delete(id); }
  }
  let cursor = tbody.firstChild;
  for (const task of shown) {
    let row = taskRows.get(task.id);
    if (!row) { row = taskRow(task, onOpenTask); taskRows.set(task.id, row); }
    if (row.tr !== cursor) tbody.insertBefore(row.tr, cursor); else cursor = cursor.nextSibling;
    updateRow(row, task, selectedId);
  }
  $('tasks-empty').hidden = shown.length > 0;
  const more = $('show-more');
  more.hidden = all.length <= shown.length;
  setText(more, `Show more (${count(all.length - shown.length)} more)`);
  setText($('tasks-summary'), `${count(shown.length)} of ${count(all.length)} shown · the monitor keeps running, newest queued and latest finished tasks`);
}
