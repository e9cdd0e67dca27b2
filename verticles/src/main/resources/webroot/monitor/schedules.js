// The schedules panel: every schedule with its next run, counting down, from the monitor's stream (the monitor asks
// the hub when a schedule changes or fires). One row per schedule, reused from frame to frame.
import { model, serverNow } from './model.js';
import { el, setText, setClass, clock, duration } from './util.js';

const $ = id => document.getElementById(id);
const rows = new Map();

function row(name) {
  const cells = ['name', 'cron', 'zone', 'task', 'status', 'next', 'last'].map(c => el('td', { class: c }));
  const tr = el('tr', { 'data-schedule': name }, ...cells);
  return { tr, cells };
}

/** "12:30:00 (in 0:42)", or "paused". */
function nextRun(schedule) {
  if (schedule.paused || !schedule.nextRunAt) return 'paused';
  const left = Date.parse(schedule.nextRunAt) - serverNow();
  return `${clock(schedule.nextRunAt)} (${left > 0 ? 'in ' + duration(left) : 'due'})`;
}

export function drawSchedules() {
  const tbody = document.querySelector('#schedule-table tbody');
  const seen = new Set();
  let cursor = tbody.firstChild;
  for (const schedule of model.schedules) {
    seen.add(schedule.name);
    let r = rows.get(schedule.name);
    if (!r) { r = row(schedule.name); rows.set(schedule.name, r); }
    if (r.tr !== cursor) tbody.insertBefore(r.tr, cursor); else cursor = cursor.nextSibling;
    const task = schedule.task || {};
    const [name, cron, zone, type, state, next, last] = r.cells;
    setText(name, schedule.name);
    setText(cron, schedule.cron);
    setText(zone, schedule.timezone);
    setText(type, task.title || task.type || '');
    setText(state, schedule.paused ? 'paused' : 'active');
    setText(next, nextRun(schedule));
    next.title = schedule.nextRunAt || '';
    setText(last, schedule.lastRunAt ? clock(schedule.lastRunAt) : '—');
    last.title = schedule.lastRunAt || '';
    setClass(r.tr, schedule.paused ? 'paused' : '');
  }
  for (const [name, r] of rows) {
    if (!seen.has(name)) { r.tr.remove(); rows.delete(name); }
  }
  $('schedules-empty').hidden = model.schedules.length > 0;
  const paused = model.schedules.filter(s => s.paused).length;
  setText($('schedules-summary'), model.schedules.length
    ? `${model.schedules.length - paused} active${paused ? ` · ${paused} paused` : ''}` : '');
}
