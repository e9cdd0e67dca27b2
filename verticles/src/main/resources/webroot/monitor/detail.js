// A task's detail: its data, result, error and log tail from the REST API, refreshed when the stream says the task
// changed (at most twice a second), and the actions the page's token allows (PATCH /api/tasks/{id}).
import { taskDuration, subtaskText } from './views.js';
import { model, isFinal, isQueued } from './model.js';
import { PRIORITIES, api, el, setText, dateTime, shortAgent } from './util.js';

const REFRESH_MS = 500;
const LOG_TAIL_CHARS = 64 * 1024;
const SHOW_CHARS = 20_000;

// How an action's button looks. Which actions there are, and the states each applies to, come from the server
// (TaskState.Action, in the stream's snapshot); a dangerous one comes last and asks for a second click.
const LOOK = { cancel: { confirm: 'Click again to cancel', danger: true } };

export function createDetail({ access, onChange }) {
  const panel = document.getElementById('detail');
  const body = document.getElementById('detail-body');
  const title = document.getElementById('detail-title');
  let selected = null;     // task id
  let timer = null;        // a refresh is scheduled
  let inFlight = false;
  let again = false;
  let lastLog = null;
  let lastTask = null;
  let actionNote = null;
  let parts = null;        // the panel's elements, built once per task

  document.getElementById('detail-close').addEventListener('click', () => close());
  document.addEventListener('keydown', e => { if (e.key === 'Escape' && selected !== null) close(); });

  function open(id) {
    selected = id;
    lastLog = null;
    lastTask = null;
    actionNote = null;
    panel.hidden = false;
    title.textContent = `#${id}`;
    parts = null;
    body.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    history.replaceState(null, '', `#task=${id}`); // a link to this task's detail
    onChange(id);
    refresh();
  }

  function close() {
    selected = null;
    panel.hidden = true;
    clearTimeout(timer);
    timer = null;
    history.replaceState(null, '', location.pathname + location.search);
    onChange(null);
  }

  /** The stream says these tasks changed: refresh the open one, at most every REFRESH_MS. */
  function changed(ids) {
    if (selected !== null && ids.has(selected) && timer === null) {
      timer = setTimeout(() => { timer = null; refresh(); }, REFRESH_MS);
    }
  }

  async function refresh() {
    if (selected === null) return;
    if (inFlight) { again = true; return; }
    inFlight = true;
    const id = selected;
    try {
      const wantLog = lastLog === null || !lastTask || !isFinal(lastTask.state); // a finished task's log no longer grows
      const [task, log] = await Promise.all([
        api('GET', `/api/tasks/${id}`),
        wantLog ? api('GET', `/api/tasks/${id}/log`).catch(e => ({ log: `(log not available: ${e.message})` })) : null,
      ]);
      if (id !== selected) return;
      lastTask = task;
      if (log) lastLog = log.log || '';
      draw(task);
    } catch (e) {
      if (id === selected) {
        parts = null;
        body.replaceChildren(el('p', { class: 'actions result bad', text: `Could not load task ${id}: ${e.message}` }));
      }
    } finally {
      inFlight = false;
      if (again) { again = false; refresh(); }
    }
  }

  /** Builds the panel once per task, then only rewrites what changed: the log keeps its scroll, buttons their state. */
  function draw(task) {
    title.textContent = `#${task.id} ${task.title || task.type}`;
    if (!parts || parts.id !== task.id) {
      parts = {
        id: task.id, facts: el('dl', { class: 'facts' }), actions: el('div', { class: 'actions' }),
        data: el('pre', { class: 'data' }), resultHead: el('h3', { text: 'Result' }), result: el('pre', { class: 'result' }),
        errorHead: el('h3', { text: 'Error' }), error: el('pre', { class: 'error' }),
        following: el('span', { class: 'following', text: '● following' }),
        log: el('pre', { class: 'log', 'data-task-log': task.id }),
      };
      body.replaceChildren(parts.facts, parts.actions, el('h3', { text: 'Data' }), parts.data, parts.resultHead, parts.result,
        parts.errorHead, parts.error, el('h3', {}, el('span', { text: 'Log' }), parts.following), parts.log);
    }
    const facts = [
      ['State', el('span', { class: 'state', style: `--c: var(--${task.state})`, text: task.state })],
      ['Type', task.type], ['Priority', task.priority],
      ['Progress', task.progress === null || task.progress === undefined ? '—' : `${task.progress}%${task.progressMessage ? ' · ' + task.progressMessage : ''}`],
      ['Subtask', subtaskText(compactSubtask(task)) || '—'],
      ['Attempts', `${task.attempts} of ${task.maxAttempts}`], ['Duration', taskDuration(task) || '—'],
      ['Created', dateTime(task.createdAt)], ['Started', dateTime(task.startedAt)], ['Finished', dateTime(task.finishedAt)],
      ['Node', task.node || '—'], ['Agent', task.agent ? shortAgent(task.agent) : '—'],
      ['Tag', task.tag || '—'], ['App', task.app || '—'],
      ['Schedule', task.schedule ? `${task.schedule} (tick ${dateTime(task.scheduledFor)})` : '—'],
      ['Depends on', task.dependsOn && task.dependsOn.length ? task.dependsOn.map(d => `#${d}`).join(', ') : '—'],
      ['Exit code', task.resultCode === null || task.resultCode === undefined ? '—' : String(task.resultCode)],
    ];
    parts.facts.replaceChildren(...facts.flatMap(([name, value]) => [el('dt', { text: name }), el('dd', {}, value)]));
    const actionsKey = JSON.stringify([task.state, task.priority, access().mayAct, access().tokens, actionNote, model.states.actions]);
    if (parts.actionsKey !== actionsKey) {
      parts.actionsKey = actionsKey;
      parts.actions.replaceChildren(...actions(task));
    }
    setText(parts.data, clip(JSON.stringify(task.data, null, 2)));
    const hasResult = task.resultData !== null && task.resultData !== undefined;
    parts.resultHead.hidden = parts.result.hidden = !hasResult;
    setText(parts.result, hasResult ? clip(task.resultData) : '');
    parts.errorHead.hidden = parts.error.hidden = !task.error;
    setText(parts.error, task.error ? clip(errorText(task.error)) : '');
    parts.following.hidden = isFinal(task.state);
    const log = lastLog === null ? '' : lastLog.length > LOG_TAIL_CHARS ? '…' + lastLog.slice(-LOG_TAIL_CHARS) : lastLog;
    const stuckToBottom = parts.log.scrollTop + parts.log.clientHeight >= parts.log.scrollHeight - 4;
    setText(parts.log, log || '(empty)');
    if (stuckToBottom) parts.log.scrollTop = parts.log.scrollHeight;
  }

  function actions(task) {
    if (!access().mayAct) {
      return [el('span', { class: 'note', text: access().tokens
        ? 'Read-only: paste a token with the admin role to act on tasks.' : 'Actions are not available.' })];
    }
    const actions = Object.entries(model.states.actions).map(([word, from]) => ({
      action: word, label: word[0].toUpperCase() + word.slice(1), from, ...LOOK[word],
    })).sort((a, b) => Boolean(a.danger) - Boolean(b.danger));
    const nodes = actions.map(a => {
      const button = el('button', { type: 'button', class: a.danger ? 'danger' : '', 'data-action': a.action, text: a.label });
      button.disabled = !a.from.includes(task.state);
      button.addEventListener('click', () => {
        if (a.confirm && !button.classList.contains('armed')) {
          button.classList.add('armed');
          button.textContent = a.confirm;
          setTimeout(() => { button.classList.remove('armed'); button.textContent = a.label; }, 3000);
          return;
        }
        act(task.id, { action: a.action }, `${a.label}: done`);
      });
      return button;
    });
    const priority = el('select', { 'data-action': 'priority', title: 'change the priority' },
      ...PRIORITIES.map(p => el('option', { value: p, text: p })));
    priority.value = task.priority;
    priority.disabled = !isQueued(task.state); // it orders the claim: nothing to order once the task runs
    priority.addEventListener('change', () => act(task.id, { priority: priority.value }, `Priority: ${priority.value}`));
    nodes.push(el('label', { class: 'note' }, 'Priority ', priority));
    if (actionNote) nodes.push(el('span', { class: `result ${actionNote.bad ? 'bad' : ''}`, text: actionNote.text }));
    return nodes;
  }

  async function act(id, change, doneText) {
    try {
      await api('PATCH', `/api/tasks/${id}`, change);
      actionNote = { text: doneText };
    } catch (e) {
      actionNote = { text: e.message, bad: true };
    }
    if (id === selected) refresh();
  }

  return { open, close, changed, redraw: () => { if (lastTask && selected !== null) draw(lastTask); }, selected: () => selected };
}

/** The detail reads the full task from the API: its subtask as the stream's compact form has it (see TaskBoard). */
function compactSubtask(task) {
  const details = task.progressDetails || {};
  const current = details.subtask;
  const structured = details.structured;
  const subtask = {};
  if (current && (current.t || current.id)) subtask.t = String(current.t || current.id);
  if (structured && typeof structured.p === 'number' && typeof structured.pm === 'number'
      && (structured.subtaskId === undefined || (current && String(structured.subtaskId) === String(current.id)))) {
    subtask.p = structured.p;
    subtask.pm = structured.pm;
  }
  return { ...task, subtask: Object.keys(subtask).length ? subtask : null };
}

function clip(text) {
  const value = text === undefined || text === null ? '' : String(text);
  return value.length > SHOW_CHARS ? value.slice(0, SHOW_CHARS) + `\n… (${value.length - SHOW_CHARS} more characters)` : value;
}

function errorText(error) {
  if (typeof error !== 'object') return String(error);
  return [error.type, error.message, error.stackTrace].filter(Boolean).join('\n\n') || JSON.stringify(error, null, 2);
}
