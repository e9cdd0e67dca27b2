// The Taskhub monitor page: the stream feeds the model; one animation frame draws whatever changed since the last.
import { model, apply, clean } from './model.js';
import { openStream } from './stream.js';
import { createCharts } from './charts.js';
import { createDetail } from './detail.js';
import { drawSummary, drawMachines, drawQueues, drawAgents, drawTasks, drawStateFilter, updateAppFilter, showMore, resetPaging } from './views.js';
import { drawSchedules } from './schedules.js';
import { api, token } from './util.js';

// What the page measured about itself, for the tests and for anyone curious (see docs/monitor.md).
const perf = window.taskhubMonitor = { messages: 0, bytes: 0, frames: 0, lastFrameMs: 0, maxFrameMs: 0, totalFrameMs: 0, errors: [] };
window.addEventListener('error', e => perf.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', e => perf.errors.push(String(e.reason)));

const $ = id => document.getElementById(id);
let access = { tokens: false, mayWatch: false, mayAct: false, role: null };
let frameRequested = false;
let redrawTasks = true;
const filter = { state: '', type: '', app: '', text: '' };

const charts = createCharts();
const detail = createDetail({ access: () => access, onChange: () => { redrawTasks = true; requestFrame(); } });

function requestFrame() {
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(draw);
  }
}

function draw() {
  frameRequested = false;
  const started = performance.now();
  const d = model.dirty;
  const tasksChanged = d.tasks.size > 0 || d.structure || redrawTasks || d.states;
  if (d.states) { drawStateFilter(); detail.redraw(); }
  if (d.nodes) drawMachines();
  if (d.stats || d.states) drawQueues();
  if (d.history) charts.draw(model.history);
  if (d.schedules) drawSchedules();
  if (d.agents || tasksChanged) drawAgents(detail.open);
  // An application whose last task left the page leaves the filter too, and the filter falls back to all.
  if (d.structure) filter.app = updateAppFilter();
  if (tasksChanged) drawTasks(filter, detail.selected(), detail.open);
  if (d.stats || d.agents || d.nodes) drawSummary();
  if (d.tasks.size > 0) detail.changed(d.tasks);
  redrawTasks = false;
  clean();
  const ms = performance.now() - started;
  perf.frames++;
  perf.lastFrameMs = ms;
  perf.totalFrameMs += ms;
  perf.maxFrameMs = Math.max(perf.maxFrameMs, ms);
}

function onMessage(message, size) {
  perf.messages++;
  perf.bytes += size;
  apply(message);
  requestFrame();
}

function onStatus(status, reason) {
  const badge = $('connection');
  badge.className = `connection ${status}`;
  badge.textContent = status === 'live' ? 'live' : status === 'connecting' ? 'connecting…' : `disconnected${reason ? ': ' + reason : ''}`;
  badge.title = reason || `live updates from node ${model.self || ''}`;
}

// Durations and "heartbeat 3 s ago" move with the clock, not with messages.
setInterval(() => { model.dirty.nodes = true; model.dirty.schedules = true; redrawTasks = true; requestFrame(); }, 1000);

// ------------------------------------------------------------------ filters

$('filter-state').addEventListener('change', e => { filter.state = e.target.value; resetPaging(); redrawTasks = true; requestFrame(); });
$('filter-type').addEventListener('change', e => { filter.type = e.target.value; resetPaging(); redrawTasks = true; requestFrame(); });
$('filter-app').addEventListener('change', e => { filter.app = e.target.value; resetPaging(); redrawTasks = true; requestFrame(); });
$('filter-text').addEventListener('input', e => { filter.text = e.target.value.trim(); resetPaging(); redrawTasks = true; requestFrame(); });
$('show-more').addEventListener('click', () => { showMore(); redrawTasks = true; requestFrame(); });

// ------------------------------------------------------------------ token and access

async function loadAccess() {
  try {
    access = await api('GET', '/monitor/access');
  } catch (e) {
    access = { tokens: true, mayWatch: false, mayAct: false, role: null, error: e.message };
  }
  const status = $('token-status');
  if (!access.tokens) {
    status.textContent = 'This node has no API tokens (it listens on loopback only): anyone who reaches it may act.';
  } else if (access.role) {
    status.textContent = `Token role: ${access.role} — ${access.mayAct ? 'actions allowed' : 'read-only'}.`;
    $('token-panel').hidden = true;
  } else {
    status.textContent = token.get() ? 'This token is not valid on this node.' : 'This node requires an API token to watch.';
    $('token-panel').hidden = false;
  }
  $('token-button').textContent = access.tokens ? (access.role ? `Token: ${access.role}` : 'Token needed') : 'Token';
  detail.redraw();
}

/** Watches when the token allows it; otherwise says why not, without asking the stream for a 401. */
async function watch() {
  await loadAccess();
  if (access.mayWatch) {
    stream.restart();
  } else {
    stream.stop();
    onStatus('down', access.error || 'an API token is needed');
  }
}

$('token-button').addEventListener('click', () => { $('token-panel').hidden = !$('token-panel').hidden; });
$('token-form').addEventListener('submit', e => {
  e.preventDefault();
  token.set($('token-input').value.trim());
  $('token-input').value = '';
  watch();
});
$('token-forget').addEventListener('click', () => {
  token.set('');
  watch();
});

const stream = openStream({ onMessage, onStatus });
watch();
const linked = /^#task=(\d+)$/.exec(location.hash);
if (linked) detail.open(Number(linked[1]));
